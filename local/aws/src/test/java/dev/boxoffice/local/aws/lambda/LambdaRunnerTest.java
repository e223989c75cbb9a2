package dev.boxoffice.local.aws.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.aws.RepositoryFiles;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.testhandlers.EchoHandler;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LambdaRunnerTest {

  private static final String ECHO_EVENT = """
      {"resource": "/events", "path": "/events", "httpMethod": "GET", "body": "hi", "isBase64Encoded": false,
       "requestContext": {"stage": "local"}}""";

  private LambdaRunner runner;

  @BeforeEach
  void createRunner(Vertx vertx) {
    CloudFormationTemplate template = CloudFormationTemplate.load(RepositoryFiles.testResource("test-api.yaml"));
    runner = LambdaRunner.forTemplate(vertx, template,
        function -> Map.of("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:4567"));
  }

  @AfterEach
  void closeRunner() {
    runner.close();
  }

  @Test
  @DisplayName("a function is invoked by name or ARN off the event loop, constructed once, with its environment")
  void invokeByNameAndArn(Vertx vertx, VertxTestContext test) {
    int constructedBefore = EchoHandler.CONSTRUCTED.get();
    runner.invoke("boxoffice-echo", ECHO_EVENT)
        .compose(first -> runner.invoke("arn:aws:lambda:us-east-1:000000000000:function:boxoffice-echo", ECHO_EVENT)
            .compose(second -> runner.invoke(
                    "arn:aws:lambda:us-east-1:000000000000:function:boxoffice-echo:$LATEST", ECHO_EVENT)
                .map(third -> new JsonObject[] {new JsonObject(first), new JsonObject(second), new JsonObject(third)})))
        .onComplete(test.succeeding(responses -> test.verify(() -> {
          JsonObject echoed = new JsonObject(responses[0].getString("body"));
          assertThat(responses[0].getInteger("statusCode")).isEqualTo(200);
          assertThat(echoed.getString("body")).isEqualTo("hi");
          assertThat(echoed.getBoolean("onEventLoop")).isFalse();
          assertThat(echoed.getString("functionName")).isEqualTo("boxoffice-echo");
          assertThat(echoed.getInteger("memoryLimitInMB")).isEqualTo(512);
          assertThat(echoed.getLong("remainingTimeInMillis")).isBetween(1L, 5_000L);
          assertThat(echoed.getJsonObject("environment").getMap())
              .containsEntry("TABLE_NAME", "boxoffice-events-test")
              .containsEntry("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:4567")
              .containsEntry("AWS_REGION", "us-east-1")
              .containsEntry("AWS_LAMBDA_FUNCTION_NAME", "boxoffice-echo");
          int constructedAfter = new JsonObject(responses[2].getString("body")).getInteger("constructed");
          assertThat(constructedAfter).isEqualTo(constructedBefore + 1);
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a handler exception, an unknown function and a payload of the wrong shape fail with Lambda error types")
  void failures(VertxTestContext test) {
    Future<String> thrown = runner.invoke("boxoffice-FailingFunction", "{}");
    Future<String> unknown = runner.invoke("no-such-function", "{}");
    Future<String> wrongShape = runner.invoke("boxoffice-echo", "[1, 2");
    Future.join(thrown, unknown, wrongShape).onComplete(done -> test.verify(() -> {
      assertThat(errorType(thrown)).isEqualTo("java.lang.IllegalStateException");
      assertThat(((LambdaFunctionError) thrown.cause()).errorMessage()).isEqualTo("the test handler fails on purpose");
      assertThat(errorType(unknown)).isEqualTo("ResourceNotFoundException");
      assertThat(errorType(wrongShape)).isEqualTo("Runtime.SerializationError");
      test.completeNow();
    }));
  }

  @Test
  @DisplayName("an invocation past the Timeout fails as Sandbox.Timedout, and one made meanwhile runs at once in an "
      + "environment of its own")
  void timeout(VertxTestContext test) {
    runner.invoke("boxoffice-SlowFunction", "{\"sleepMillis\": 0}").onComplete(test.succeeding(warm -> {
      long firstInstance = new JsonObject(warm).getLong("instanceId");
      long started = System.nanoTime();
      Future<String> timedOut = runner.invoke("boxoffice-SlowFunction", "{\"sleepMillis\": 30000}");
      Future<String> meanwhile = runner.invoke("boxoffice-SlowFunction", "{\"sleepMillis\": 0}");
      Future.join(timedOut, meanwhile).onComplete(done -> test.verify(() -> {
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(errorType(timedOut)).isEqualTo("Sandbox.Timedout");
        assertThat(meanwhile.succeeded()).as("invocation made meanwhile: %s", meanwhile.cause()).isTrue();
        JsonObject fresh = new JsonObject(meanwhile.result());
        assertThat(fresh.getLong("instanceId")).isNotEqualTo(firstInstance);
        assertThat(fresh.getLong("remainingTimeInMillis")).isBetween(1L, 1_000L);
        assertThat(elapsedMillis).as("the 1 s Timeout ends a 30 s handler").isLessThan(10_000);
        test.completeNow();
      }));
    }));
  }

  @Test
  @DisplayName("an SNS delivery reaches an SNSEvent handler with AWS's field names and timestamp, as Lambda does")
  void snsEvent(VertxTestContext test) {
    String delivery = """
        {"Records": [{"EventSource": "aws:sns", "EventVersion": "1.0",
          "EventSubscriptionArn": "arn:aws:sns:us-east-1:000000000000:orders:1",
          "Sns": {"Type": "Notification", "MessageId": "m-1",
            "TopicArn": "arn:aws:sns:us-east-1:000000000000:orders", "Subject": "Order placed",
            "Message": "order 42", "Timestamp": "2026-11-26T01:30:00.000Z", "SignatureVersion": "1",
            "MessageAttributes": {"kind": {"Type": "String", "Value": "ticket"}}}}]}""";
    runner.invoke("arn:aws:lambda:us-east-1:000000000000:function:sns-subscriber", delivery)
        .onComplete(test.succeeding(result -> test.verify(() -> {
          assertThat(result).isEqualTo("\"Order placed|order 42|ticket|2026\"");
          test.completeNow();
        })));
  }

  @Test
  @DisplayName("a RequestStreamHandler gets the raw payload and its output is the result")
  void streamHandler(VertxTestContext test) {
    runner.invoke("stream", "{\"name\": \"ada\"}").onComplete(test.succeeding(result -> test.verify(() -> {
      assertThat(result).isEqualTo("{\"NAME\": \"ADA\"}");
      test.completeNow();
    })));
  }

  private static String errorType(Future<String> failed) {
    assertThat(failed.failed()).as("expected a failed invocation, got %s", failed.result()).isTrue();
    assertThat(failed.cause()).isInstanceOf(LambdaFunctionError.class);
    return ((LambdaFunctionError) failed.cause()).errorType();
  }
}
