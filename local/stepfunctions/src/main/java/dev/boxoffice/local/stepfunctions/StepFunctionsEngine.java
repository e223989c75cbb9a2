package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local Step Functions, in process: state machines and their executions in memory, run by the
 * {@link Interpreter} on Vert.x. {@link StepFunctionsApiVerticle} serves the same operations over the AWS API.
 * Methods throw {@link StepFunctionsException} with AWS's error codes for bad requests.
 *
 * <p>Longer than most classes on purpose: each operation checks its request as the API reference says (names, ARNs,
 * a machine or an execution that already exists, a name reused with another input) and those checks share the
 * machine and execution tables they guard.
 */
public final class StepFunctionsEngine implements AutoCloseable {

  /** AWS's limit on execution input and on state payloads. */
  public static final int MAX_INPUT_BYTES = 256 * 1024;
  /** StartExecution's limit on {@code traceHeader}, in characters (the API reference's). */
  public static final int MAX_TRACE_HEADER_LENGTH = 256;

  private static final Logger LOG = LoggerFactory.getLogger(StepFunctionsEngine.class);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,80}");

  private final Vertx vertx;
  private final StepFunctionsConfig config;
  private final Scheduler scheduler;
  private final TaskTokens tokens = new TaskTokens();
  private final AwsServiceIntegrations services;
  private final StateTransitions transitions;
  private final Interpreter interpreter;
  private final Map<String, StateMachine> stateMachines = new ConcurrentHashMap<>();
  private final Map<String, Execution> executions = new ConcurrentHashMap<>();
  private final Map<String, Map<String, String>> tags = new ConcurrentHashMap<>();

  public StepFunctionsEngine(Vertx vertx, StepFunctionsConfig config, LambdaInvoker lambdaInvoker,
      Scheduler scheduler) {
    this.vertx = vertx;
    this.config = config;
    this.scheduler = scheduler;
    this.services = new AwsServiceIntegrations(vertx, config);
    this.transitions = new StateTransitions(config.quotas(), scheduler);
    this.interpreter = new Interpreter(scheduler, new TaskResources(lambdaInvoker, services), tokens, transitions);
  }

  /** An engine on the wall clock and Vert.x timers. */
  public StepFunctionsEngine(Vertx vertx, StepFunctionsConfig config, LambdaInvoker lambdaInvoker) {
    this(vertx, config, lambdaInvoker, new VertxScheduler(vertx));
  }

  public StepFunctionsConfig config() {
    return config;
  }

  /**
   * How many state transitions of Standard workflows have waited for the account's transition bucket: what
   * CloudWatch reports as {@code ExecutionThrottled} (AWS's histories record no event for it).
   */
  public long throttledTransitions() {
    return transitions.throttledCount();
  }

  public StateMachine createStateMachine(String name, String definition, String roleArn) {
    return createStateMachine(name, definition, roleArn, "STANDARD");
  }

  public StateMachine createStateMachine(String name, String definition, String roleArn, String type) {
    requireName(name, "name");
    if (type != null && !"STANDARD".equals(type) && !"EXPRESS".equals(type)) {
      throw new StepFunctionsException("ValidationException", "type must be STANDARD or EXPRESS");
    }
    JsonNode parsed = parseDefinition(definition);
    String arn = arn("stateMachine", name);
    Instant now = scheduler.now();
    StateMachine machine = new StateMachine(arn, name, definition, parsed,
        roleArn == null ? "arn:aws:iam::" + config.accountId() + ":role/StepFunctionsLocal" : roleArn,
        type == null ? "STANDARD" : type, now, now, UUID.randomUUID().toString());
    StateMachine existing = stateMachines.putIfAbsent(arn, machine);
    if (existing != null) {
      if (existing.definition().equals(definition) && existing.roleArn().equals(machine.roleArn())) {
        return existing;
      }
      throw new StepFunctionsException("StateMachineAlreadyExists", "State Machine Already Exists: '" + arn + "'");
    }
    return machine;
  }

  public StateMachine updateStateMachine(String arn, String definition, String roleArn) {
    StateMachine current = describeStateMachine(arn);
    if (definition == null && roleArn == null) {
      throw new StepFunctionsException("MissingRequiredParameter",
          "Either the definition or the roleArn must be specified");
    }
    String newDefinition = definition == null ? current.definition() : definition;
    JsonNode parsed = definition == null ? current.parsedDefinition() : parseDefinition(definition);
    StateMachine updated = new StateMachine(current.arn(), current.name(), newDefinition, parsed,
        roleArn == null ? current.roleArn() : roleArn, current.type(), current.creationDate(), scheduler.now(),
        UUID.randomUUID().toString());
    stateMachines.put(arn, updated);
    return updated;
  }

  public StateMachine describeStateMachine(String arn) {
    requireArn(arn, "stateMachine");
    StateMachine machine = stateMachines.get(arn);
    if (machine == null) {
      throw new StepFunctionsException("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
    }
    return machine;
  }

  public List<StateMachine> listStateMachines() {
    return stateMachines.values().stream().sorted(Comparator.comparing(StateMachine::name)).toList();
  }

  public void deleteStateMachine(String arn) {
    requireArn(arn, "stateMachine");
    stateMachines.remove(arn);
    tags.remove(arn);
  }

  /**
   * Starts an execution; as in AWS a repeated name with the same input returns the existing execution, and with
   * another input fails with ExecutionAlreadyExists.
   *
   * @param name null for a generated name
   * @param input null for {@code {}}
   */
  public Execution startExecution(String stateMachineArn, String name, String input) {
    return startExecution(stateMachineArn, name, input, null);
  }

  /**
   * As {@link #startExecution(String, String, String)}, continuing the X-Ray trace of {@code traceHeader} (null:
   * none): kept on the execution and handed to the Lambda functions it invokes. As in AWS, a header longer than
   * {@value #MAX_TRACE_HEADER_LENGTH} characters or outside ASCII is a ValidationException.
   */
  public Execution startExecution(String stateMachineArn, String name, String input, String traceHeader) {
    if (traceHeader != null && (traceHeader.length() > MAX_TRACE_HEADER_LENGTH
        || !traceHeader.chars().allMatch(c -> c < 128))) {
      throw new StepFunctionsException("ValidationException", "1 validation error detected: Value at 'traceHeader'"
          + " failed to satisfy constraint: Member must have length less than or equal to " + MAX_TRACE_HEADER_LENGTH
          + " and satisfy regular expression pattern: \\p{ASCII}*");
    }
    StateMachine machine = describeStateMachine(stateMachineArn);
    String executionName = name == null ? UUID.randomUUID().toString() : name;
    requireName(executionName, "name");
    String inputText = input == null ? "{}" : input;
    if (inputText.getBytes(StandardCharsets.UTF_8).length > MAX_INPUT_BYTES) {
      throw new StepFunctionsException("InvalidExecutionInput",
          "The input exceeds the maximum size of " + MAX_INPUT_BYTES + " bytes");
    }
    JsonNode inputNode;
    try {
      inputNode = Json.parse(inputText);
    } catch (IllegalArgumentException e) {
      throw new StepFunctionsException("InvalidExecutionInput", "Invalid State Machine Execution Input: '"
          + e.getMessage() + "'");
    }
    String arn = "arn:aws:states:" + config.region() + ":" + config.accountId() + ":execution:" + machine.name()
        + ":" + executionName;
    Execution execution = new Execution(arn, executionName, machine, inputText, inputNode, scheduler.now(),
        traceHeader);
    Execution existing = executions.putIfAbsent(arn, execution);
    if (existing != null) {
      if (existing.input().equals(inputText) && existing.isRunning()) {
        return existing;
      }
      throw new StepFunctionsException("ExecutionAlreadyExists", "Execution Already Exists: '" + arn + "'");
    }
    ObjectNode started = Json.object().put("input", inputText).put("roleArn", machine.roleArn());
    started.putObject("inputDetails").put("truncated", false);
    execution.addEvent(0, execution.startDate(), "ExecutionStarted", "executionStartedEventDetails", started);
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> run(execution, context));
    return execution;
  }

  private void run(Execution execution, Context context) {
    JsonNode timeoutSeconds = execution.stateMachine().parsedDefinition().get("TimeoutSeconds");
    if (timeoutSeconds != null) {
      Scheduler.Delay timeout = scheduler.delay(Duration.ofSeconds(timeoutSeconds.asLong()));
      timeout.elapsed().onSuccess(v -> execution.finish(ExecutionStatus.TIMED_OUT, null, StatesError.TIMEOUT, null,
          scheduler.now(), "ExecutionTimedOut", "executionTimedOutEventDetails",
          Json.object().put("error", StatesError.TIMEOUT)));
      execution.completion().onComplete(ended -> timeout.cancel());
    }
    interpreter.run(execution, context)
        .onSuccess(output -> {
          String outputText = Json.write(output);
          ObjectNode details = Json.object().put("output", outputText);
          details.putObject("outputDetails").put("truncated", false);
          execution.finish(ExecutionStatus.SUCCEEDED, outputText, null, null, scheduler.now(), "ExecutionSucceeded",
              "executionSucceededEventDetails", details);
        })
        .onFailure(failure -> {
          String error;
          String cause;
          if (failure instanceof StatesError statesError) {
            error = statesError.error();
            cause = statesError.cause();
          } else if (failure instanceof Interpreter.Cancelled) {
            return;
          } else {
            LOG.error("Execution {} crashed in the interpreter", execution.arn(), failure);
            error = StatesError.RUNTIME;
            cause = "Internal error of the local Step Functions: " + failure;
          }
          ObjectNode details = Json.object();
          details.put("error", error);
          details.put("cause", cause);
          execution.finish(ExecutionStatus.FAILED, null, error, cause, scheduler.now(), "ExecutionFailed",
              "executionFailedEventDetails", details);
        });
  }

  public Execution describeExecution(String executionArn) {
    requireArn(executionArn, "execution");
    Execution execution = executions.get(executionArn);
    if (execution == null) {
      throw new StepFunctionsException("ExecutionDoesNotExist", "Execution Does Not Exist: '" + executionArn + "'");
    }
    return execution;
  }

  /** Completes once the execution has ended, whatever its status. */
  public Future<Execution> awaitCompletion(String executionArn) {
    return describeExecution(executionArn).completion();
  }

  /** The executions of a state machine, newest first, optionally only those in {@code status}. */
  public List<Execution> listExecutions(String stateMachineArn, ExecutionStatus status) {
    describeStateMachine(stateMachineArn);
    List<Execution> found = new ArrayList<>();
    for (Execution execution : executions.values()) {
      if (execution.stateMachine().arn().equals(stateMachineArn)
          && (status == null || execution.status() == status)) {
        found.add(execution);
      }
    }
    found.sort(Comparator.comparing(Execution::startDate).reversed());
    return found;
  }

  public List<HistoryEvent> executionHistory(String executionArn) {
    return describeExecution(executionArn).history();
  }

  public Execution stopExecution(String executionArn, String error, String cause) {
    Execution execution = describeExecution(executionArn);
    Instant now = scheduler.now();
    ObjectNode details = Json.object();
    if (error != null) {
      details.put("error", error);
    }
    if (cause != null) {
      details.put("cause", cause);
    }
    execution.finish(ExecutionStatus.ABORTED, null, error, cause, now, "ExecutionAborted",
        "executionAbortedEventDetails", details);
    tokens.abandonExecution(executionArn);
    return execution;
  }

  public void sendTaskSuccess(String taskToken, String output) {
    requireToken(taskToken);
    JsonNode parsed;
    try {
      parsed = Json.parse(output);
    } catch (IllegalArgumentException e) {
      throw new StepFunctionsException("InvalidOutput", "Invalid Task Output: '" + e.getMessage() + "'");
    }
    if (output.getBytes(StandardCharsets.UTF_8).length > MAX_INPUT_BYTES) {
      throw new StepFunctionsException("InvalidOutput", "The output exceeds " + MAX_INPUT_BYTES + " bytes");
    }
    delivered(tokens.succeed(taskToken, parsed));
  }

  public void sendTaskFailure(String taskToken, String error, String cause) {
    requireToken(taskToken);
    delivered(tokens.fail(taskToken, error, cause));
  }

  public void sendTaskHeartbeat(String taskToken) {
    requireToken(taskToken);
    delivered(tokens.heartbeat(taskToken));
  }

  private static void delivered(TaskTokens.Outcome outcome) {
    if (outcome == TaskTokens.Outcome.UNKNOWN) {
      throw new StepFunctionsException("TaskDoesNotExist", "Task Does Not Exist: the token is unknown or its task "
          + "has already ended");
    }
  }

  private static void requireToken(String taskToken) {
    if (taskToken == null || taskToken.isEmpty() || taskToken.length() > 2048) {
      throw new StepFunctionsException("InvalidToken", "Invalid Token: the task token must be 1 to 2048 "
          + "characters");
    }
  }

  /**
   * The problems of a definition, each as {@code CODE: message at /location}; empty when it is valid. This is the
   * check CreateStateMachine and UpdateStateMachine apply.
   */
  public List<String> validateDefinition(String definition) {
    if (definition == null) {
      return List.of("SCHEMA_VALIDATION_FAILED: The definition is missing at /");
    }
    try {
      return DefinitionValidator.validate(Json.parse(definition));
    } catch (IllegalArgumentException e) {
      return List.of("INVALID_JSON_DESCRIPTION: " + e.getMessage() + " at /");
    }
  }

  private JsonNode parseDefinition(String definition) {
    List<String> problems = validateDefinition(definition);
    if (!problems.isEmpty()) {
      throw new StepFunctionsException("InvalidDefinition", "Invalid State Machine Definition: '"
          + String.join(", ", problems) + "'");
    }
    return Json.parse(definition);
  }

  public void tagResource(String arn, Map<String, String> newTags) {
    describeStateMachine(arn);
    tags.computeIfAbsent(arn, key -> new ConcurrentHashMap<>()).putAll(newTags);
  }

  public void untagResource(String arn, List<String> keys) {
    describeStateMachine(arn);
    Map<String, String> current = tags.get(arn);
    if (current != null) {
      keys.forEach(current::remove);
    }
  }

  /** The tags of a state machine, sorted by key. */
  public Map<String, String> listTags(String arn) {
    describeStateMachine(arn);
    return new TreeMap<>(tags.getOrDefault(arn, Map.of()));
  }

  private String arn(String resource, String name) {
    return "arn:aws:states:" + config.region() + ":" + config.accountId() + ":" + resource + ":" + name;
  }

  private void requireArn(String arn, String resource) {
    String prefix = "arn:aws:states:" + config.region() + ":" + config.accountId() + ":" + resource + ":";
    if (arn == null || !arn.startsWith(prefix) || arn.length() == prefix.length()) {
      throw new StepFunctionsException("InvalidArn", "Invalid Arn: '" + arn + "'");
    }
  }

  private static void requireName(String name, String field) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new StepFunctionsException("InvalidName", "Invalid Name: '" + name + "' (the " + field + " must be 1 to "
          + "80 letters, digits, '-', '_' or '.')");
    }
  }

  @Override
  public void close() {
    services.close();
  }
}
