package dev.boxoffice.lambdas;

import static dev.boxoffice.lambdas.ApiRequests.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.Json;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the functions tell CloudWatch: JSON log lines and embedded-metric-format business metrics, each carrying the
 * invocation's request id. The metric lines are read back from standard output, where Lambda's log capture reads them.
 */
@ExtendWith(LocalCloudExtension.class)
class ObservabilityTest {

  private static final Pattern CODE = Pattern.compile("sign-in code is ([0-9]{6})");

  private final LocalCloud aws;

  ObservabilityTest(LocalCloud aws) {
    this.aws = aws;
  }

  @Test
  @DisplayName("a log line is one JSON object with the level, the function, the invocation's request id and the error")
  void logLine() {
    InvocationContext context = InvocationContext.fresh();
    Log.invocation(context);

    JsonNode line = parse(Log.line("ERROR", "could not reach DynamoDB", new IllegalStateException("timed out"),
        Instant.parse("2026-12-06T15:00:00Z")));

    assertThat(line.path("timestamp").asText()).isEqualTo("2026-12-06T15:00:00Z");
    assertThat(line.path("level").asText()).isEqualTo("ERROR");
    assertThat(line.path("function").asText()).isEqualTo(Log.FUNCTION);
    assertThat(line.path("requestId").asText()).isEqualTo(context.awsRequestId());
    assertThat(line.path("message").asText()).isEqualTo("could not reach DynamoDB");
    assertThat(line.path("error").asText()).isEqualTo("IllegalStateException: timed out");
    Log.invocation(null);
    assertThat(parse(Log.line("INFO", "outside", null, Instant.now())).path("requestId").isNull()).isTrue();
  }

  @Test
  @DisplayName("log and metric lines carry the X-Ray trace id (the Root) of the trace the invocation runs in, none"
      + " outside one")
  void logLineCarriesTheTraceId() {
    Log.invocation(InvocationContext.traced(
        "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1"));
    assertThat(parse(Log.line("INFO", "issued", null, Instant.now())).path("traceId").asText())
        .isEqualTo("1-67891233-abcdef012345678912345678");
    assertThat(parse(BusinessMetrics.line(BusinessMetrics.QR_CODES_ISSUED, 1, Instant.now())).path("traceId").asText())
        .isEqualTo("1-67891233-abcdef012345678912345678");

    Log.invocation(InvocationContext.fresh());
    assertThat(parse(Log.line("INFO", "untraced", null, Instant.now())).path("traceId").isNull()).isTrue();
    Log.invocation(InvocationContext.traced("Parent=53995c3f42cd8ad8;Sampled=1"));
    assertThat(parse(Log.line("INFO", "no root", null, Instant.now())).path("traceId").isNull()).isTrue();
    Log.invocation(null);
  }

  @Test
  @DisplayName("a business metric is an EMF line CloudWatch extracts: namespace, metric, count and request id")
  void embeddedMetricFormat() {
    InvocationContext context = InvocationContext.fresh();
    Log.invocation(context);

    JsonNode line = parse(BusinessMetrics.line(BusinessMetrics.SIGN_INS, 1, Instant.parse("2026-12-06T15:00:00Z")));

    JsonNode directive = line.path("_aws");
    assertThat(directive.path("Timestamp").asLong()).isEqualTo(Instant.parse("2026-12-06T15:00:00Z").toEpochMilli());
    JsonNode metrics = directive.path("CloudWatchMetrics").path(0);
    assertThat(metrics.path("Namespace").asText()).isEqualTo("Boxoffice");
    assertThat(metrics.path("Dimensions").toString()).isEqualTo("[[]]");
    assertThat(metrics.path("Metrics").toString()).isEqualTo("[{\"Name\":\"SignIns\",\"Unit\":\"Count\"}]");
    assertThat(line.path("SignIns").asLong()).isEqualTo(1);
    assertThat(line.path("requestId").asText()).isEqualTo(context.awsRequestId());
  }

  @Test
  @DisplayName("a sign-in counts one code sent by /send-otp and one sign-in by /verify-otp, each with its request id")
  void signInIsCounted() throws Exception {
    SendOtpHandler send = new SendOtpHandler(aws.functionEnvironment("SendOtpFunction"));
    VerifyOtpHandler verify = new VerifyOtpHandler(new HandlerEnvironment(aws.functionEnvironment("VerifyOtpFunction")),
        Clock.systemUTC());
    String address = "metrics-" + UUID.randomUUID() + "@example.test";
    String network = ApiRequests.randomNetwork();
    InvocationContext sending = InvocationContext.fresh();
    InvocationContext verifying = InvocationContext.fresh();

    Printed<String> sent = printedDuring(() -> {
      APIGatewayProxyResponseEvent answer = send.handleRequest(ApiRequests.fromIp(json("POST", "/send-otp",
          "{\"email\":\"" + address + "\"}"), network), sending);
      assertThat(answer.getStatusCode()).as(answer.getBody()).isEqualTo(202);
      return ApiRequests.body(answer).path("challenge").asText();
    });
    assertThat(sent.metricLinesOf(sending)).singleElement().satisfies(line ->
        assertThat(line.path(BusinessMetrics.SIGN_IN_CODES_SENT).asLong()).isEqualTo(1));

    String code = awaitCode(address);
    Printed<Integer> verified = printedDuring(() -> verify.handleRequest(ApiRequests.fromIp(json("POST", "/verify-otp",
        "{\"email\":\"" + address + "\",\"code\":\"" + code + "\",\"challenge\":\"" + sent.result() + "\"}"),
        network), verifying).getStatusCode());
    assertThat(verified.result()).isEqualTo(200);
    assertThat(verified.metricLinesOf(verifying)).singleElement().satisfies(line ->
        assertThat(line.path(BusinessMetrics.SIGN_INS).asLong()).isEqualTo(1));
    assertThat(verified.metricLinesOf(sending)).isEmpty();
  }

  /** What a call returned and what it printed on standard output meanwhile. */
  private record Printed<T>(T result, String output) {

    /** The EMF lines carrying {@code context}'s request id. */
    List<JsonNode> metricLinesOf(InvocationContext context) {
      return output.lines().filter(text -> text.startsWith("{\"_aws\""))
          .map(ObservabilityTest::parse)
          .filter(line -> context.awsRequestId().equals(line.path("requestId").asText()))
          .toList();
    }
  }

  private static <T> Printed<T> printedDuring(Callable<T> call) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      T result = call.call();
      return new Printed<>(result, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }

  private static JsonNode parse(String line) {
    try {
      return Json.mapper().readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String awaitCode(String address) throws InterruptedException {
    JsonNode mail = aws.inbox().awaitMail(address, candidate -> candidate.path("subject").asText().contains("sign-in"));
    Matcher matcher = CODE.matcher(mail.path("text").asText());
    assertThat(matcher.find()).as("a code in %s", mail).isTrue();
    return matcher.group(1);
  }
}
