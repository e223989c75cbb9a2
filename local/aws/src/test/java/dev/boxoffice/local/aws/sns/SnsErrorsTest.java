package dev.boxoffice.local.aws.sns;

import static dev.boxoffice.local.aws.sns.SnsTestSupport.postForm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.InvalidParameterException;
import software.amazon.awssdk.services.sns.model.InvalidParameterValueException;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.NotFoundException;

@ExtendWith(VertxExtension.class)
@DisplayName("Local SNS answers bad requests with AWS error shapes")
class SnsErrorsTest {

  @TempDir
  Path dataDir;

  private SnsWithMail localSns;
  private SnsClient sns;
  private String topicArn;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    SnsWithMail.start(vertx, dataDir, (function, payload) -> Future.succeededFuture("null"))
        .onComplete(context.succeeding(started -> {
          localSns = started;
          sns = SnsTestSupport.snsClient(started.snsEndpoint());
          context.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext context) {
    sns.close();
    localSns.stop().onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("a missing topic or subscription raises NotFoundException with HTTP 404")
  void notFound() {
    String missingTopic = "arn:aws:sns:us-east-1:000000000000:missing";

    assertThatThrownBy(() -> sns.publish(publish -> publish.topicArn(missingTopic).message("hi")))
        .isInstanceOfSatisfying(NotFoundException.class, error -> {
          assertThat(error.statusCode()).isEqualTo(404);
          assertThat(error.awsErrorDetails().errorCode()).isEqualTo("NotFound");
          assertThat(error.awsErrorDetails().errorMessage()).isEqualTo("Topic does not exist");
        });
    assertThatThrownBy(() -> sns.subscribe(subscribe -> subscribe.topicArn(missingTopic).protocol("email")
        .endpoint("a@example.test"))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> sns.unsubscribe(unsubscribe -> unsubscribe.subscriptionArn(missingTopic + ":nope")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> sns.getSubscriptionAttributes(get -> get.subscriptionArn(missingTopic + ":nope")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  @DisplayName("bad parameters raise InvalidParameterException and publish nothing")
  void invalidParameters() {
    topicArn = sns.createTopic(topic -> topic.name("errors")).topicArn();
    String oversize = "x".repeat(SnsPublisher.MAX_MESSAGE_BYTES + 1);

    assertThatThrownBy(() -> sns.publish(publish -> publish.topicArn(topicArn).message(oversize)))
        .isInstanceOfSatisfying(InvalidParameterException.class, error -> {
          assertThat(error.statusCode()).isEqualTo(400);
          assertThat(error.awsErrorDetails().errorMessage()).isEqualTo("Invalid parameter: Message too long");
        });
    assertThatThrownBy(() -> sns.publish(publish -> publish.topicArn(topicArn).message("")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns.publish(publish -> publish.topicArn(topicArn).message("hi").subject("two\nlines")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns.publish(publish -> publish.topicArn(topicArn).messageStructure("json").message("{}")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns.createTopic(topic -> topic.name("has spaces")))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("sms")
        .endpoint("+15550100"))).isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("email")
        .endpoint("not-an-address"))).isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("email")
        .endpoint("a@example.test").attributes(Map.of("FilterPolicy", "{\"a\":\"b\"}"))))
        .isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> sns.confirmSubscription(confirm -> confirm.topicArn(topicArn).token("forged")))
        .isInstanceOf(InvalidParameterException.class);

    assertThat(sns.listSubscriptionsByTopic(list -> list.topicArn(topicArn)).subscriptions()).isEmpty();
  }

  @Test
  @DisplayName("a message attribute with a bad type or value raises InvalidParameterValueException")
  void invalidAttributeValues() {
    topicArn = sns.createTopic(topic -> topic.name("attributes")).topicArn();

    assertThatThrownBy(() -> publishWithAttribute("Number", "twelve"))
        .isInstanceOfSatisfying(InvalidParameterValueException.class, error ->
            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("ParameterValueInvalid"));
    assertThatThrownBy(() -> publishWithAttribute("Decimal", "12")).isInstanceOf(InvalidParameterValueException.class);
    assertThatThrownBy(() -> publishWithAttribute("String.Array", "not an array"))
        .isInstanceOf(InvalidParameterValueException.class);
    assertThatThrownBy(() -> publishWithAttribute("String", "")).isInstanceOf(InvalidParameterValueException.class);
  }

  private void publishWithAttribute(String dataType, String value) {
    sns.publish(publish -> publish.topicArn(topicArn).message("hi").messageAttributes(Map.of("total",
        MessageAttributeValue.builder().dataType(dataType).stringValue(value).build())));
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("an unknown action", "Action=LaunchRockets&Version=2010-03-31", 400, "InvalidAction"),
        Arguments.of("no action at all", "Version=2010-03-31&Name=x", 400, "MissingAction"),
        Arguments.of("a malformed percent escape", "Action=CreateTopic&Name=%zz", 400, "MalformedQueryString"),
        Arguments.of("a JSON body instead of a form", "{\"Action\":\"CreateTopic\"}", 400, "MissingAction"),
        Arguments.of("a missing required parameter", "Action=CreateTopic&Version=2010-03-31", 400, "InvalidParameter"),
        Arguments.of("a missing topic ARN", "Action=Publish&Message=hi", 400, "InvalidParameter"),
        Arguments.of("a bad NextToken", "Action=ListTopics&NextToken=abc", 400, "InvalidParameter"),
        Arguments.of("the attributes of a missing subscription", "Action=SetSubscriptionAttributes"
            + "&SubscriptionArn=arn%3Aaws%3Asns%3Aus-east-1%3A000000000000%3Ax%3Ay&AttributeName=X&AttributeValue=1",
            404, "NotFound"),
        Arguments.of("an oversized message", "Action=Publish&TopicArn=" + enc("arn:aws:sns:us-east-1:000000000000:big")
            + "&Message=" + "y".repeat(SnsPublisher.MAX_MESSAGE_BYTES + 1), 400, "InvalidParameter"),
        Arguments.of("a body beyond the request limit", "Action=Publish&Message=" + "z".repeat(5 * 1024 * 1024),
            400, "InvalidParameter"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  @DisplayName("a malformed or incomplete query request answers a 4xx ErrorResponse, never a 500")
  void rawBadRequests(String description, String body, int status, String code) throws Exception {
    sns.createTopic(topic -> topic.name("big"));

    HttpResponse<String> response = postForm(localSns.snsEndpoint(), body);

    assertThat(response.statusCode()).as(description).isEqualTo(status);
    Document error = xml(response.body());
    assertThat(error.getDocumentElement().getTagName()).isEqualTo("ErrorResponse");
    assertThat(error.getDocumentElement().getAttribute("xmlns")).isEqualTo("http://sns.amazonaws.com/doc/2010-03-31/");
    assertThat(text(error, "Type")).isEqualTo("Sender");
    assertThat(text(error, "Code")).isEqualTo(code);
    assertThat(text(error, "Message")).isNotBlank();
    assertThat(text(error, "RequestId")).isEqualTo(response.headers().firstValue("x-amzn-RequestId").orElseThrow());
  }

  @Test
  @DisplayName("an HTTP method the query protocol does not use answers an ErrorResponse")
  void unsupportedMethod() throws Exception {
    HttpResponse<String> response = SnsTestSupport.send(HttpRequest.newBuilder(localSns.snsEndpoint())
        .DELETE().build());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(text(xml(response.body()), "Code")).isEqualTo("MethodNotAllowed");
  }

  @Test
  @DisplayName("a SubscribeURL with a forged token shows an error page in the browser, not a stack trace")
  void forgedTokenInBrowser() {
    String topic = sns.createTopic(create -> create.name("browser")).topicArn();
    URI link = localSns.snsEndpoint().resolve("/?Action=ConfirmSubscription&TopicArn=" + enc(topic) + "&Token=forged");

    HttpResponse<String> page = SnsTestSupport.get(link.toString(), "text/html");

    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body()).contains("InvalidParameter").doesNotContain("Exception");
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static Document xml(String body) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
  }

  private static String text(Document document, String tag) {
    return document.getElementsByTagName(tag).item(0).getTextContent();
  }
}
