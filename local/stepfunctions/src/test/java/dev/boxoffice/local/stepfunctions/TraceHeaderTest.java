package dev.boxoffice.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * StartExecution's {@code traceHeader} as AWS takes it: at most 256 characters, kept on the execution (DescribeExecution
 * returns it) and handed to the Lambda functions the execution invokes, through both Lambda integrations.
 */
class TraceHeaderTest {

  private static final String ROLE = "arn:aws:iam::000000000000:role/trace-test";
  private static final String TWO_LAMBDA_TASKS = """
      {"StartAt":"Direct","States":{
        "Direct":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:direct","Next":"Invoke"},
        "Invoke":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
          "Parameters":{"FunctionName":"invoked","Payload":{}},"End":true}}}""";
  private static final String HEADER = "Root=1-67891233-abcdef012345678912345678;Parent=53995c3f42cd8ad8;Sampled=1";

  /** The trace header each function was last invoked with, by function name. */
  private static final Map<String, String> received = new ConcurrentHashMap<>();
  private static LocalSfnApi api;
  private static SfnClient sfn;

  @BeforeAll
  static void startApi() {
    LambdaInvoker recording = new LambdaInvoker() {
      @Override
      public Future<String> invoke(String function, String payload) {
        return invokeAs(null, function, payload, null);
      }

      @Override
      public Future<String> invokeAs(String roleArn, String function, String payload, String traceHeader) {
        received.put(function.substring(function.lastIndexOf(':') + 1), String.valueOf(traceHeader));
        return Future.succeededFuture("{}");
      }
    };
    api = LocalSfnApi.start(StepFunctionsConfig.local(), recording);
    sfn = api.sfn();
  }

  @AfterAll
  static void stopApi() {
    api.close();
  }

  @Test
  @DisplayName("an execution keeps the trace header it was started with and hands it to each Lambda task")
  void traceHeaderReachesTheFunctions() throws InterruptedException {
    String machine = sfn.createStateMachine(r -> r.name("traced").definition(TWO_LAMBDA_TASKS).roleArn(ROLE))
        .stateMachineArn();

    String traced = sfn.startExecution(r -> r.stateMachineArn(machine).name("traced").traceHeader(HEADER))
        .executionArn();

    DescribeExecutionResponse execution = api.awaitEnd(traced);
    assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(execution.traceHeader()).isEqualTo(HEADER);
    assertThat(received).containsEntry("direct", HEADER).containsEntry("invoked", HEADER);

    String untraced = sfn.startExecution(r -> r.stateMachineArn(machine).name("untraced")).executionArn();
    assertThat(api.awaitEnd(untraced).traceHeader()).isNull();
    assertThat(received).containsEntry("direct", "null");
  }

  @Test
  @DisplayName("a trace header over 256 characters is a ValidationException and starts nothing; 256 are taken")
  void overlongTraceHeaderIsRefused() {
    String machine = sfn.createStateMachine(r -> r.name("long-header").definition(TWO_LAMBDA_TASKS).roleArn(ROLE))
        .stateMachineArn();
    String longest = HEADER + ";Lineage=" + "a".repeat(256 - HEADER.length() - ";Lineage=".length());
    assertThat(longest).hasSize(256);

    assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(machine).name("too-long")
        .traceHeader(longest + "b")))
        .isInstanceOfSatisfying(SfnException.class, refused -> {
          assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
          assertThat(refused.statusCode()).isEqualTo(400);
          assertThat(refused.awsErrorDetails().errorMessage()).contains("traceHeader");
        });
    assertThat(sfn.listExecutions(r -> r.stateMachineArn(machine)).executions()).isEmpty();

    String accepted = sfn.startExecution(r -> r.stateMachineArn(machine).name("longest").traceHeader(longest))
        .executionArn();
    assertThat(sfn.describeExecution(r -> r.executionArn(accepted)).traceHeader()).isEqualTo(longest);
  }
}
