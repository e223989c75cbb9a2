package dev.boxoffice.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.cloudformation.FunctionDefinition;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.lambda.LambdaQuotas;
import dev.boxoffice.local.aws.lambda.LambdaRunner;
import dev.boxoffice.local.cloud.testhandlers.PausingHandler;
import dev.boxoffice.local.stepfunctions.Execution;
import dev.boxoffice.local.stepfunctions.ExecutionStatus;
import dev.boxoffice.local.stepfunctions.HistoryEvent;
import dev.boxoffice.local.stepfunctions.StepFunctionsConfig;
import dev.boxoffice.local.stepfunctions.StepFunctionsEngine;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Step Functions engine's Lambda tasks on the local Lambda runtime, as the local stack wires them: concurrency,
 * throttles and permissions reach the state machine as AWS reports them.
 */
@DisplayName("Step Functions' Lambda tasks on the local Lambda runtime")
class LambdaTasksTest {

  private static final String ROLE = "arn:aws:iam::000000000000:role/tasks-test";
  private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:pause";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Throwable> unhandled = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private LambdaRunner runner;
  private StepFunctionsEngine engine;

  @BeforeEach
  void startVertx() {
    vertx = Vertx.vertx();
    vertx.exceptionHandler(unhandled::add);
  }

  @AfterEach
  void stop() throws Exception {
    if (engine != null) {
      engine.close();
    }
    if (runner != null) {
      runner.close();
    }
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("twenty tickets of one order, each a 400 ms function under the task's 2 s timeout, run side by side: "
      + "none waits in a queue that eats its timeout, none times out, and no late result throws "
      + "(the congestion collapse of issue 15)")
  void noQueueEatsTheTaskTimeout() throws Exception {
    start(null, "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"*\"}}");
    // The environments share one JVM, which loads the runtime's classes once: left to the twenty cold starts at once,
    // that one-off load takes seconds on a busy machine and eats the 2 s, a cost no AWS environment shares with others.
    runner.invoke(FUNCTION_ARN, "{}").await(30, TimeUnit.SECONDS);
    Execution execution = run("""
        {"StartAt":"Tickets","States":{"Tickets":{"Type":"Map","ItemsPath":"$.tickets","MaxConcurrency":0,
          "Iterator":{"StartAt":"Create","States":{"Create":{"Type":"Task",
            "Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":2,
            "Parameters":{"FunctionName":"%s","Payload":{"pauseMillis":400,"ticket.$":"$"}},
            "OutputPath":"$.Payload","End":true}}},"End":true}}}""".formatted(FUNCTION_ARN),
        "{\"tickets\":[" + String.join(",", java.util.Collections.nCopies(20, "1")) + "]}");

    assertThat(execution.status()).as(execution.error() + " " + execution.cause()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(runner.statistics("pause").peakConcurrency()).isGreaterThan(1);
    Thread.sleep(1_000);
    assertThat(unhandled).as("exceptions no handler caught").isEmpty();
  }

  @Test
  @DisplayName("an invocation beyond the function's reserved concurrency fails the task as "
      + "Lambda.TooManyRequestsException with the AWS SDK's cause, and the state's Retry retries it")
  void throttleReachesRetry() throws Exception {
    start(1, "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"lambda:InvokeFunction\",\"Resource\":\"*\"}}");
    Execution execution = run("""
        {"StartAt":"Tickets","States":{"Tickets":{"Type":"Map","ItemsPath":"$.tickets","MaxConcurrency":3,
          "Iterator":{"StartAt":"Create","States":{"Create":{"Type":"Task",
            "Resource":"arn:aws:states:::lambda:invoke",
            "Parameters":{"FunctionName":"%s","Payload":{"pauseMillis":300}},
            "Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"IntervalSeconds":1,"MaxAttempts":10,
              "BackoffRate":1.0}],
            "End":true}}},"End":true}}}""".formatted(FUNCTION_ARN), "{\"tickets\":[1,2,3]}");

    assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    List<HistoryEvent> throttles = execution.history().stream().filter(event -> event.type().equals("TaskFailed"))
        .toList();
    assertThat(throttles).isNotEmpty().allSatisfy(event -> {
      assertThat(event.details().path("error").asText()).isEqualTo("Lambda.TooManyRequestsException");
      assertThat(event.details().path("cause").asText()).startsWith("Rate Exceeded. (Service: AWSLambda; "
          + "Status Code: 429; Error Code: TooManyRequestsException; Request ID: ");
    });
    assertThat(runner.statistics("pause").peakConcurrency()).isEqualTo(1);
  }

  @Test
  @DisplayName("a state machine role without lambda:InvokeFunction on the function fails the task as "
      + "Lambda.AWSLambdaException, with AWS's AccessDenied sentence, and the function never runs")
  void roleWithoutPermission() throws Exception {
    start(null, "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"lambda:InvokeFunction\","
        + "\"Resource\":\"arn:aws:lambda:us-east-1:000000000000:function:other\"}}");
    Execution execution = run("""
        {"StartAt":"Create","States":{"Create":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"FunctionName":"%s","Payload":{}},"End":true}}}""".formatted(FUNCTION_ARN), "{}");

    assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(execution.error()).isEqualTo("Lambda.AWSLambdaException");
    assertThat(execution.cause()).startsWith("User: arn:aws:sts::000000000000:assumed-role/tasks-test/states is "
        + "not authorized to perform: lambda:InvokeFunction on resource: " + FUNCTION_ARN + " because no "
        + "identity-based policy allows the lambda:InvokeFunction action (Service: AWSLambda; Status Code: 403; "
        + "Error Code: AccessDeniedException;");
    assertThat(runner.statistics("pause").invocations()).isZero();
  }

  private void start(Integer reservedConcurrency, String rolePolicy) throws Exception {
    FunctionDefinition pause = new FunctionDefinition("PauseFunction", "pause",
        PausingHandler.class.getName() + "::handleRequest", 10, 128, Map.of(), ROLE, reservedConcurrency);
    runner = new LambdaRunner(vertx, Map.of("pause", pause), function -> Map.of(), getClass().getClassLoader(),
        LambdaQuotas.aws());
    LocalIam iam = LocalIam.builder(LocalCredentials.ACCOUNT, LocalCredentials.REGION,
        LocalCredentials.ADMINISTRATOR, true).role(ROLE, "states", JSON.readTree(rolePolicy)).build();
    engine = new StepFunctionsEngine(vertx, StepFunctionsConfig.local(), new LambdaTasks(runner, iam));
  }

  private Execution run(String definition, String input) throws Exception {
    String machine = engine.createStateMachine("tasks", definition, ROLE).arn();
    return engine.startExecution(machine, null, input).completion()
        .await(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS);
  }
}
