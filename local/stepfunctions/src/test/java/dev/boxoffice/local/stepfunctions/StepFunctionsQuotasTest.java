package dev.boxoffice.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.SfnException;

@ExtendWith(VertxExtension.class)
@DisplayName("The account's Step Functions quotas")
class StepFunctionsQuotasTest {

  private static final String PASSES = """
      {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},
        "C":{"Type":"Pass","Next":"D"},"D":{"Type":"Pass","Next":"E"},"E":{"Type":"Pass","End":true}}}""";
  private static final String ROLE = "arn:aws:iam::000000000000:role/quotas";

  @Test
  @DisplayName("AWS's published buckets: larger in us-east-1, us-west-2 and eu-west-1 than elsewhere")
  void publishedDefaults() {
    StepFunctionsQuotas virginia = StepFunctionsQuotas.aws("us-east-1");
    StepFunctionsQuotas frankfurt = StepFunctionsQuotas.aws("eu-central-1");

    assertThat(virginia.apiBuckets().get("StartExecution")).isEqualTo(new StepFunctionsQuotas.Bucket(1300, 300));
    assertThat(frankfurt.apiBuckets().get("StartExecution")).isEqualTo(new StepFunctionsQuotas.Bucket(800, 150));
    assertThat(virginia.apiBuckets().get("DescribeExecution")).isEqualTo(new StepFunctionsQuotas.Bucket(300, 15));
    assertThat(frankfurt.apiBuckets().get("DescribeExecution")).isEqualTo(new StepFunctionsQuotas.Bucket(250, 10));
    assertThat(virginia.standardTransitions()).isEqualTo(new StepFunctionsQuotas.Bucket(5000, 5000));
    assertThat(frankfurt.standardTransitions()).isEqualTo(new StepFunctionsQuotas.Bucket(800, 800));
    assertThat(virginia.expressStartExecution()).isEqualTo(new StepFunctionsQuotas.Bucket(6000, 6000));
  }

  @Test
  @DisplayName("StartExecution beyond its bucket answers ThrottlingException (HTTP 400), which the SDK knows as a "
      + "throttle, and Express machines draw on a bucket of their own")
  void startExecutionThrottled(Vertx vertx) throws Exception {
    StepFunctionsQuotas quotas = StepFunctionsQuotas.aws("us-east-1")
        .withApiBucket("StartExecution", new StepFunctionsQuotas.Bucket(2, 0.001));
    StepFunctionsEngine engine = new StepFunctionsEngine(vertx, StepFunctionsConfig.local().withQuotas(quotas),
        LambdaInvoker.none());
    StepFunctionsApiVerticle api = new StepFunctionsApiVerticle(engine);
    vertx.deployVerticle(api).await();
    try (SfnClient sfn = client(api.actualPort())) {
      String standard = engine.createStateMachine("standard", PASSES, ROLE).arn();
      String express = engine.createStateMachine("express", PASSES, ROLE, "EXPRESS").arn();

      sfn.startExecution(start -> start.stateMachineArn(standard));
      sfn.startExecution(start -> start.stateMachineArn(standard));
      assertThatThrownBy(() -> sfn.startExecution(start -> start.stateMachineArn(standard)))
          .isInstanceOfSatisfying(SfnException.class, throttled -> {
            assertThat(throttled.statusCode()).isEqualTo(400);
            assertThat(throttled.awsErrorDetails().errorCode()).isEqualTo("ThrottlingException");
            assertThat(throttled.isThrottlingException()).isTrue();
          });
      assertThat(sfn.startExecution(start -> start.stateMachineArn(express)).executionArn()).contains(":express:");
    }
  }

  @Test
  @DisplayName("state transitions beyond the Standard bucket wait for it to refill rather than fail, counted as "
      + "ExecutionThrottled, while Express executions run unthrottled")
  void transitionsDelayed(Vertx vertx) throws Exception {
    ManualScheduler clock = new ManualScheduler();
    StepFunctionsQuotas quotas = StepFunctionsQuotas.aws("us-east-1")
        .withStandardTransitions(new StepFunctionsQuotas.Bucket(3, 1));
    StepFunctionsEngine engine = new StepFunctionsEngine(vertx, StepFunctionsConfig.local().withQuotas(quotas),
        LambdaInvoker.none(), clock);
    Execution standard = engine.startExecution(engine.createStateMachine("slow", PASSES, ROLE).arn(), null, "{}");

    await(vertx, Duration.ofMillis(300));
    assertThat(standard.isRunning()).as("three tokens for five states").isTrue();
    assertThat(entered(standard)).containsExactly("A", "B", "C");
    clock.advance(Duration.ofSeconds(1));
    await(vertx, Duration.ofMillis(300));
    assertThat(entered(standard)).containsExactly("A", "B", "C", "D");
    clock.advance(Duration.ofSeconds(1));
    assertThat(standard.completion().await(10, java.util.concurrent.TimeUnit.SECONDS).status())
        .isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(engine.throttledTransitions()).isEqualTo(2);

    Execution express = engine.startExecution(engine.createStateMachine("fast", PASSES, ROLE, "EXPRESS").arn(),
        null, "{}");
    assertThat(express.completion().await(10, java.util.concurrent.TimeUnit.SECONDS).status())
        .isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(engine.throttledTransitions()).isEqualTo(2);
  }

  private static List<String> entered(Execution execution) {
    return execution.history().stream().filter(event -> event.type().endsWith("StateEntered"))
        .map(event -> event.details().path("name").asText()).toList();
  }

  private static void await(Vertx vertx, Duration duration) throws Exception {
    vertx.timer(duration.toMillis()).await();
  }

  private static SfnClient client(int port) {
    return LocalSfnClients.at(port)
        .overrideConfiguration(override -> override.retryStrategy(retry -> retry.maxAttempts(1)))
        .build();
  }
}
