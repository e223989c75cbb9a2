package dev.boxoffice.lambdas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
/**
 * Each handler's class Javadoc lists, after "Environment:", every variable the handler reads; the lead copies those
 * lists into the CloudFormation template, so they must match the code exactly.
 */
@ExtendWith(LocalCloudExtension.class)
@DisplayName("Handler environment documentation")
class EnvironmentDocumentationTest {

  /** The credentials Lambda itself sets; {@link AwsClients} documents them once for all handlers. */
  private static final Set<String> RUNTIME_CREDENTIALS =
      Set.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN");
  private static final Pattern ENVIRONMENT_PARAGRAPH = Pattern.compile("<p>Environment:(.*?)\\*/", Pattern.DOTALL);
  private static final Pattern VARIABLE = Pattern.compile("\\{@code ([A-Z][A-Z0-9_]+)}");

  private final LocalCloud aws;

  EnvironmentDocumentationTest(LocalCloud aws) {
    this.aws = aws;
  }

  @TestFactory
  @DisplayName("the variables each handler's Javadoc names are exactly those its constructor reads")
  Stream<DynamicTest> javadocMatchesCode() {
    return Stream.of(
        check(SubscribeHandler.class, "SubscribeFunction",
            environment -> new SubscribeHandler(environment, Clock.systemUTC())),
        check(CheckSubscriptionHandler.class, "CheckSubscriptionFunction",
            environment -> new CheckSubscriptionHandler(environment)),
        check(SendOtpHandler.class, "SendOtpFunction",
            environment -> new SendOtpHandler(environment, Clock.systemUTC())),
        check(VerifyOtpHandler.class, "VerifyOtpFunction",
            environment -> new VerifyOtpHandler(environment, Clock.systemUTC())),
        check(CreateEventHandler.class, "CreateEventFunction",
            environment -> new CreateEventHandler(environment, Clock.systemUTC())),
        check(CreateTicketHandler.class, "CreateTicketFunction", environment -> new CreateTicketHandler(environment)),
        check(CancelTicketsHandler.class, "CancelTicketsFunction",
            environment -> new CancelTicketsHandler(environment)),
        check(GetQrCodeHandler.class, "GetQrCodeFunction",
            environment -> new GetQrCodeHandler(environment, Clock.systemUTC())),
        check(LogActivityHandler.class, "LogActivityFunction",
            environment -> new LogActivityHandler(environment, Clock.systemUTC())),
        check(RequestConfirmationHandler.class, "RequestConfirmationFunction",
            environment -> new RequestConfirmationHandler(environment, Clock.systemUTC())),
        check(ConfirmSubscriptionHandler.class, "ConfirmSubscriptionFunction",
            environment -> new ConfirmSubscriptionHandler(environment, Clock.systemUTC())),
        check(UnsubscribeHandler.class, "UnsubscribeFunction",
            environment -> new UnsubscribeHandler(environment, Clock.systemUTC())),
        check(AnnounceEventHandler.class, "AnnounceEventFunction",
            environment -> new AnnounceEventHandler(environment, Clock.systemUTC())),
        check(MailerHandler.class, "MailerFunction", environment -> new MailerHandler(environment, Clock.systemUTC())),
        check(MailEventsHandler.class, "MailEventsFunction",
            environment -> new MailEventsHandler(environment, Clock.systemUTC())));
  }

  /** Builds the handler with the environment the local stack gives its template function. */
  private DynamicTest check(Class<?> handler, String function, Consumer<HandlerEnvironment> construct) {
    return DynamicTest.dynamicTest(handler.getSimpleName(), () -> {
      HandlerEnvironment environment = new HandlerEnvironment(aws.functionEnvironment(function));
      construct.accept(environment);
      Set<String> read = environment.namesRead().stream()
          .filter(name -> !RUNTIME_CREDENTIALS.contains(name))
          .collect(Collectors.toCollection(TreeSet::new));

      assertThat(documented(handler)).isEqualTo(read);
    });
  }

  private static Set<String> documented(Class<?> handler) throws IOException {
    String source = Files.readString(Path.of("src/main/java", handler.getName().replace('.', '/') + ".java"));
    Matcher paragraph = ENVIRONMENT_PARAGRAPH.matcher(source);
    assertThat(paragraph.find()).as("an Environment: paragraph in %s", handler.getSimpleName()).isTrue();
    return VARIABLE.matcher(paragraph.group(1)).results().map(match -> match.group(1))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
