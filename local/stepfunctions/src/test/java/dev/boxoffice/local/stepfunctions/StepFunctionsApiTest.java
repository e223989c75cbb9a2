package dev.boxoffice.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.InvalidOutputException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.Tag;
import software.amazon.awssdk.services.sfn.model.TaskDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResultCode;

/** The Step Functions API as the AWS SDK v2 SfnClient sees it. */
class StepFunctionsApiTest {

  private static final String ROLE = "arn:aws:iam::000000000000:role/api-test";
  private static final String PASS_THEN_SUCCEED = """
      {"StartAt":"Greet","States":{"Greet":{"Type":"Pass","Result":"hello","ResultPath":"$.greeting",
        "Next":"Done"},"Done":{"Type":"Succeed"}}}""";
  private static final String CALLBACK = """
      {"StartAt":"Approve","States":{"Approve":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken","HeartbeatSeconds":600,
        "Parameters":{"FunctionName":"approver","Payload":{"token.$":"$$.Task.Token"}},"End":true}}}""";

  private static final LinkedBlockingQueue<String> TOKENS = new LinkedBlockingQueue<>();
  private static LocalSfnApi api;
  private static StepFunctionsEngine engine;
  private static SfnClient sfn;
  private static URI endpoint;

  @BeforeAll
  static void startApi() {
    LambdaInvoker approver = (function, payload) -> {
      TOKENS.add(Json.parse(payload).get("token").textValue());
      return Future.succeededFuture("{}");
    };
    api = LocalSfnApi.start(StepFunctionsConfig.local(), approver);
    engine = api.engine();
    sfn = api.sfn();
    endpoint = URI.create("http://127.0.0.1:" + api.port());
  }

  @AfterAll
  static void stopApi() {
    api.close();
  }

  private static String createMachine(String name, String definition) {
    return sfn.createStateMachine(r -> r.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
  }

  @Test
  @DisplayName("state machines are created, described, listed, updated and deleted with AWS-shaped ARNs")
  void stateMachineLifecycle() {
    String arn = createMachine("lifecycle", PASS_THEN_SUCCEED);
    assertThat(arn).isEqualTo("arn:aws:states:us-east-1:000000000000:stateMachine:lifecycle");
    var described = sfn.describeStateMachine(r -> r.stateMachineArn(arn));
    assertThat(described.name()).isEqualTo("lifecycle");
    assertThat(described.definition()).isEqualTo(PASS_THEN_SUCCEED);
    assertThat(described.roleArn()).isEqualTo(ROLE);
    assertThat(described.creationDate()).isNotNull();
    assertThat(sfn.listStateMachines(r -> { }).stateMachines()).anyMatch(m -> m.stateMachineArn().equals(arn));

    String updated = PASS_THEN_SUCCEED.replace("hello", "bonjour");
    sfn.updateStateMachine(r -> r.stateMachineArn(arn).definition(updated));
    assertThat(sfn.describeStateMachine(r -> r.stateMachineArn(arn)).definition()).isEqualTo(updated);

    sfn.deleteStateMachine(r -> r.stateMachineArn(arn));
    assertThatThrownBy(() -> sfn.describeStateMachine(r -> r.stateMachineArn(arn)))
        .isInstanceOf(StateMachineDoesNotExistException.class);
  }

  @Test
  @DisplayName("an execution runs, is described with its output and lists its history with AWS event ids")
  void executionAndHistory() throws InterruptedException {
    String machine = createMachine("history", PASS_THEN_SUCCEED);
    String executionArn = sfn.startExecution(r -> r.stateMachineArn(machine).name("first")
        .input("{\"who\":\"ada\"}")).executionArn();
    assertThat(executionArn).isEqualTo("arn:aws:states:us-east-1:000000000000:execution:history:first");

    DescribeExecutionResponse execution = api.awaitEnd(executionArn);
    assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(Json.parse(execution.output())).isEqualTo(Json.parse("{\"who\":\"ada\",\"greeting\":\"hello\"}"));
    assertThat(execution.stopDate()).isNotNull();

    List<HistoryEvent> events = sfn.getExecutionHistory(r -> r.executionArn(executionArn)).events();
    assertThat(events).extracting(HistoryEvent::type).containsExactly(HistoryEventType.EXECUTION_STARTED,
        HistoryEventType.PASS_STATE_ENTERED, HistoryEventType.PASS_STATE_EXITED,
        HistoryEventType.SUCCEED_STATE_ENTERED, HistoryEventType.SUCCEED_STATE_EXITED,
        HistoryEventType.EXECUTION_SUCCEEDED);
    assertThat(events).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(events).extracting(HistoryEvent::previousEventId).containsExactly(0L, 0L, 2L, 3L, 4L, 5L);
    assertThat(events.get(1).stateEnteredEventDetails().name()).isEqualTo("Greet");
    assertThat(events.get(0).executionStartedEventDetails().input()).isEqualTo("{\"who\":\"ada\"}");

    assertThat(sfn.listExecutions(r -> r.stateMachineArn(machine).statusFilter(ExecutionStatus.SUCCEEDED))
        .executions()).extracting(e -> e.executionArn()).containsExactly(executionArn);
  }

  @Test
  @DisplayName("starting by an existing name returns that execution for the same input and fails for another")
  void startIsIdempotentByName() {
    String definition = "{\"StartAt\":\"W\",\"States\":{\"W\":{\"Type\":\"Wait\",\"Seconds\":3600,\"End\":true}}}";
    String machine = createMachine("idempotent", definition);
    String first = sfn.startExecution(r -> r.stateMachineArn(machine).name("once").input("{\"a\":1}"))
        .executionArn();
    String again = sfn.startExecution(r -> r.stateMachineArn(machine).name("once").input("{\"a\":1}"))
        .executionArn();
    assertThat(again).isEqualTo(first);
    assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(machine).name("once").input("{\"a\":2}")))
        .isInstanceOf(ExecutionAlreadyExistsException.class);

    sfn.stopExecution(r -> r.executionArn(first).error("Cancelled").cause("by the test"));
    DescribeExecutionResponse stopped = sfn.describeExecution(r -> r.executionArn(first));
    assertThat(stopped.status()).isEqualTo(ExecutionStatus.ABORTED);
    assertThat(stopped.error()).isEqualTo("Cancelled");
    List<HistoryEvent> events = sfn.getExecutionHistory(r -> r.executionArn(first)).events();
    assertThat(events.get(events.size() - 1).type()).isEqualTo(HistoryEventType.EXECUTION_ABORTED);
  }

  @Test
  @DisplayName("SendTaskHeartbeat keeps a callback task alive and SendTaskSuccess resumes it with the output")
  void sendTaskSuccess() throws InterruptedException {
    String machine = createMachine("callback-success", CALLBACK);
    String executionArn = sfn.startExecution(r -> r.stateMachineArn(machine)).executionArn();
    String token = TOKENS.poll(10, TimeUnit.SECONDS);
    assertThat(token).isNotNull();
    sfn.sendTaskHeartbeat(r -> r.taskToken(token));
    sfn.sendTaskSuccess(r -> r.taskToken(token).output("{\"approved\":true}"));
    DescribeExecutionResponse execution = api.awaitEnd(executionArn);
    assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
    assertThat(execution.output()).isEqualTo("{\"approved\":true}");
    assertThatThrownBy(() -> sfn.sendTaskSuccess(r -> r.taskToken(token).output("{}")))
        .isInstanceOf(TaskDoesNotExistException.class);
  }

  @Test
  @DisplayName("SendTaskFailure fails a callback task with the given error and cause")
  void sendTaskFailure() throws InterruptedException {
    String machine = createMachine("callback-failure", CALLBACK);
    String executionArn = sfn.startExecution(r -> r.stateMachineArn(machine)).executionArn();
    String token = TOKENS.poll(10, TimeUnit.SECONDS);
    sfn.sendTaskFailure(r -> r.taskToken(token).error("Rejected").cause("not today"));
    DescribeExecutionResponse execution = api.awaitEnd(executionArn);
    assertThat(execution.status()).isEqualTo(ExecutionStatus.FAILED);
    assertThat(execution.error()).isEqualTo("Rejected");
    assertThat(execution.cause()).isEqualTo("not today");
  }

  @Test
  @DisplayName("invalid definitions are refused with InvalidDefinition naming the problem and where it is")
  void invalidDefinitions() {
    assertInvalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Teleport\",\"End\":true}}}",
        "Unknown state type 'Teleport' at /States/A/Type");
    assertInvalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\"}}}",
        "The field \"Next\" or \"End\" is required but was missing at /States/A");
    assertInvalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"Nowhere\"}}}",
        "Missing 'Next' target: Nowhere at /States/A/Next");
    assertInvalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true},"
        + "\"Orphan\":{\"Type\":\"Succeed\"}}}", "State \"Orphan\" is not reachable");
    assertInvalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"InputPath\":\"$.[broken\","
        + "\"End\":true}}}", "'InputPath' must be a valid JSONPath at /States/A/InputPath");
    assertInvalid("{\"QueryLanguage\":\"JSONata\",\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\","
        + "\"Output\":\"{% $states.input.( %}\",\"End\":true}}}", "is invalid");
    assertInvalid("{\"StartAt\":", "INVALID_JSON_DESCRIPTION");
    assertInvalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Nxt\":\"B\",\"End\":true}}}",
        "Field 'Nxt' is not supported for a Pass state at /States/A/Nxt");
    assertInvalid("{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Parameters\":"
        + "{\"x.$\":\"States.Nope($.a)\"},\"End\":true}}}", "unknown function 'States.Nope'");
  }

  private static void assertInvalid(String definition, String expectedMessage) {
    assertThatThrownBy(() -> sfn.createStateMachine(r -> r.name("invalid").definition(definition).roleArn(ROLE)))
        .isInstanceOf(InvalidDefinitionException.class)
        .hasMessageContaining(expectedMessage);
  }

  @Test
  @DisplayName("bad input, names, outputs, unknown executions and malformed ARNs get AWS's error codes")
  void badRequests() {
    String machine = createMachine("bad-input", PASS_THEN_SUCCEED);
    assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(machine).input("{not json")))
        .isInstanceOf(InvalidExecutionInputException.class);
    String huge = "{\"blob\":\"" + "x".repeat(StepFunctionsEngine.MAX_INPUT_BYTES) + "\"}";
    assertThatThrownBy(() -> sfn.startExecution(r -> r.stateMachineArn(machine).input(huge)))
        .isInstanceOf(InvalidExecutionInputException.class)
        .hasMessageContaining("maximum size");
    assertThatThrownBy(() -> sfn.describeExecution(r -> r.executionArn(
        "arn:aws:states:us-east-1:000000000000:execution:bad-input:missing")))
        .isInstanceOf(ExecutionDoesNotExistException.class);
    assertThatThrownBy(() -> sfn.describeStateMachine(r -> r.stateMachineArn("not-an-arn")))
        .isInstanceOf(InvalidArnException.class);
    assertThatThrownBy(() -> sfn.createStateMachine(r -> r.name("no spaces allowed").definition(PASS_THEN_SUCCEED)
        .roleArn(ROLE))).isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> sfn.sendTaskSuccess(r -> r.taskToken("some-token").output("{not json")))
        .isInstanceOf(InvalidOutputException.class);
  }

  @Test
  @DisplayName("a request that is not JSON or names no known action gets a 400 in the AWS JSON error shape")
  void protocolErrors() throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> notJson = http.send(HttpRequest.newBuilder(endpoint)
        .header("X-Amz-Target", "AWSStepFunctions.ListStateMachines")
        .header("Content-Type", "application/x-amz-json-1.0")
        .POST(HttpRequest.BodyPublishers.ofString("{oops")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(Json.parse(notJson.body()).get("__type").textValue()).isEqualTo("SerializationException");

    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(endpoint)
        .header("X-Amz-Target", "AWSStepFunctions.FlyToTheMoon")
        .header("Content-Type", "application/x-amz-json-1.0")
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(Json.parse(unknown.body()).get("__type").textValue()).isEqualTo("UnknownOperationException");
  }

  @Test
  @DisplayName("the in-process API starts an execution and awaitCompletion completes once it has ended")
  void inProcessAwait() throws Exception {
    String machine = createMachine("in-process", PASS_THEN_SUCCEED);
    Execution execution = engine.startExecution(machine, "direct", "{}");
    CompletableFuture<Execution> done = engine.awaitCompletion(execution.arn()).toCompletionStage()
        .toCompletableFuture();
    assertThat(done.get(10, TimeUnit.SECONDS).status())
        .isEqualTo(dev.boxoffice.local.stepfunctions.ExecutionStatus.SUCCEEDED);
  }
  @Test
  @DisplayName("ValidateStateMachineDefinition reports each problem with its code and location")
  void validateDefinition() {
    var valid = sfn.validateStateMachineDefinition(r -> r.definition(PASS_THEN_SUCCEED));
    assertThat(valid.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.OK);
    assertThat(valid.diagnostics()).isEmpty();

    var invalid = sfn.validateStateMachineDefinition(r -> r.definition(
        "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"Nowhere\"}}}"));
    assertThat(invalid.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.FAIL);
    assertThat(invalid.diagnostics()).singleElement().satisfies(diagnostic -> {
      assertThat(diagnostic.code()).isEqualTo("MISSING_TRANSITION_TARGET");
      assertThat(diagnostic.location()).isEqualTo("/States/A/Next");
      assertThat(diagnostic.message()).isEqualTo("Missing 'Next' target: Nowhere");
    });
  }

  @Test
  @DisplayName("state machines keep the tags given on create and by TagResource, minus those untagged")
  void tags() {
    String arn = sfn.createStateMachine(r -> r.name("tagged").definition(PASS_THEN_SUCCEED).roleArn(ROLE)
        .tags(Tag.builder().key("team").value("boxoffice").build())).stateMachineArn();
    sfn.tagResource(r -> r.resourceArn(arn).tags(Tag.builder().key("stage").value("local").build()));
    sfn.untagResource(r -> r.resourceArn(arn).tagKeys("team"));
    assertThat(sfn.listTagsForResource(r -> r.resourceArn(arn)).tags())
        .containsExactly(Tag.builder().key("stage").value("local").build());
  }
}
