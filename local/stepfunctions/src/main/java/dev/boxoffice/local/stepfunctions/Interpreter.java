package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.PathNotFoundException;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs ASL state machines as chains of Futures on a Vert.x context: one continuation per state transition, timers for
 * Wait and Retry, no thread per execution.
 *
 * <p>Longer than most classes on purpose: the state types share one execution's context (input and output paths,
 * ResultSelector, Retry and Catch, the error names of the specification), and a state's semantics read best beside
 * the others'. What stands alone lives elsewhere: intrinsics in {@link StatesIntrinsics}, JSONPath in {@link JsonPaths},
 * validation in {@link DefinitionValidator}.
 */
final class Interpreter {

  static final String JSONATA = "JSONata";
  static final String JSONPATH = "JSONPath";
  /** AWS's quota of events per execution history; it also keeps a runaway loop from eating the local heap. */
  static final int MAX_HISTORY_EVENTS = 25_000;
  private static final String HISTORY_LIMIT_CAUSE = "The execution reached the maximum number of history events ("
      + MAX_HISTORY_EVENTS + ").";

  private final Scheduler scheduler;
  private final TaskResources resources;
  private final TaskTokens tokens;
  private final StateTransitions transitions;

  Interpreter(Scheduler scheduler, TaskResources resources, TaskTokens tokens, StateTransitions transitions) {
    this.scheduler = scheduler;
    this.resources = resources;
    this.tokens = tokens;
    this.transitions = transitions;
  }

  /** What one state decided: the state to go to, or null when the block ends, and the state's output. */
  private record Step(String next, JsonNode output) {
  }

  /** A block of states being run: the top-level machine, a Parallel branch or a Map iteration. */
  private record Scope(Execution execution, Context context, JsonNode states, String queryLanguage,
      Map<String, JsonNode> variables, Trace trace, ObjectNode mapContext, Cancellation cancellation) {

    Scope child(JsonNode block, Trace childTrace, ObjectNode childMapContext, Cancellation childCancellation) {
      return new Scope(execution, context, block.get("States"), block.path("QueryLanguage").asText(queryLanguage),
          new HashMap<>(variables), childTrace, childMapContext, childCancellation);
    }
  }

  /** Chains each event to the previous one of its own thread of execution, as AWS's previousEventId does. */
  private final class Trace {
    private final Execution execution;
    private long lastEventId;

    Trace(Execution execution, long lastEventId) {
      this.execution = execution;
      this.lastEventId = lastEventId;
    }

    long event(String type, String detailsField, ObjectNode details) {
      if (execution.lastEventId() >= MAX_HISTORY_EVENTS - 1) {
        ObjectNode failed = Json.object().put("error", StatesError.RUNTIME).put("cause", HISTORY_LIMIT_CAUSE);
        execution.finish(ExecutionStatus.FAILED, null, StatesError.RUNTIME, HISTORY_LIMIT_CAUSE, scheduler.now(),
            "ExecutionFailed", "executionFailedEventDetails", failed);
        return lastEventId;
      }
      lastEventId = execution.addEventWhileRunning(lastEventId, scheduler.now(), type, detailsField, details);
      return lastEventId;
    }

    /** After branches or iterations ran, the next event follows the latest one of the execution. */
    void catchUp() {
      lastEventId = execution.lastEventId();
    }

    Trace fork() {
      return new Trace(execution, lastEventId);
    }
  }

  /** Stops the states of a branch or iteration once a sibling failed or the execution was stopped. */
  private static final class Cancellation {
    private final Execution execution;
    private final Cancellation parent;
    private volatile boolean cancelled;

    Cancellation(Execution execution, Cancellation parent) {
      this.execution = execution;
      this.parent = parent;
    }

    boolean isCancelled() {
      return cancelled || !execution.isRunning() || parent != null && parent.isCancelled();
    }

    void cancel() {
      cancelled = true;
    }
  }

  /** Thrown into a cancelled block so it unwinds without recording anything. */
  static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("cancelled", null, false, false);
    }
  }

  /** Runs an execution whose ExecutionStarted event is recorded; like AWS, its first state event follows event 0. */
  Future<JsonNode> run(Execution execution, Context context) {
    JsonNode definition = execution.stateMachine().parsedDefinition();
    Scope scope = new Scope(execution, context, definition.get("States"),
        definition.path("QueryLanguage").asText(JSONPATH), new HashMap<>(), new Trace(execution, 0),
        null, new Cancellation(execution, null));
    return runBlock(scope, definition.get("StartAt").textValue(), execution.inputNode());
  }

  private Future<JsonNode> runBlock(Scope scope, String startAt, JsonNode input) {
    Promise<JsonNode> result = Promise.promise();
    advance(scope, startAt, input, result);
    return result.future();
  }

  /** Enters the state once the account's transition quota admits it. */
  private void advance(Scope scope, String stateName, JsonNode input, Promise<JsonNode> result) {
    transitions.admit(scope.execution()).onSuccess(admitted -> enter(scope, stateName, input, result));
  }

  private void enter(Scope scope, String stateName, JsonNode input, Promise<JsonNode> result) {
    if (scope.cancellation().isCancelled()) {
      result.tryFail(new Cancelled());
      return;
    }
    Future<Step> step;
    try {
      step = executeState(scope, stateName, scope.states().get(stateName), input);
    } catch (RuntimeException e) {
      step = Future.failedFuture(e);
    }
    step.onSuccess(next -> {
      if (next.next() == null) {
        result.tryComplete(next.output());
      } else {
        scope.context().runOnContext(v -> advance(scope, next.next(), next.output(), result));
      }
    }).onFailure(result::tryFail);
  }

  private Future<Step> executeState(Scope scope, String name, JsonNode state, JsonNode input) {
    String type = state.get("Type").textValue();
    boolean jsonata = JSONATA.equals(state.path("QueryLanguage").asText(scope.queryLanguage()));
    ObjectNode enteredDetails = Json.object().put("name", name);
    enteredDetails.put("input", Json.write(input));
    enteredDetails.putObject("inputDetails").put("truncated", false);
    long entered = scope.trace().event(type + "StateEntered", "stateEnteredEventDetails", enteredDetails);
    StateRun run = new StateRun(scope, name, state, input, jsonata, new Payloads.Site(name, entered),
        scheduler.now());
    Future<Step> step = switch (type) {
      case "Pass" -> pass(run);
      case "Choice" -> choice(run);
      case "Wait" -> waitState(run);
      case "Succeed" -> Future.succeededFuture(new Step(null, run.finalOutput(null, false)));
      case "Fail" -> fail(run);
      case "Task", "Parallel", "Map" -> withRetryAndCatch(run);
      default -> Future.failedFuture(new StatesError(StatesError.RUNTIME, "Unknown state type " + type));
    };
    return step.compose(done -> {
      String output = Json.write(done.output());
      if (output.getBytes(StandardCharsets.UTF_8).length > StepFunctionsEngine.MAX_INPUT_BYTES) {
        throw new StatesError(StatesError.DATA_LIMIT_EXCEEDED, run.site.prefix() + "The state/task returned a "
            + "result with a size exceeding the maximum number of bytes service limit.");
      }
      if (!"Fail".equals(type)) {
        ObjectNode exited = Json.object().put("name", name);
        exited.put("output", output);
        exited.putObject("outputDetails").put("truncated", false);
        scope.trace().event(type + "StateExited", "stateExitedEventDetails", exited);
      }
      return Future.succeededFuture(new Step(done.next(), done.output()));
    });
  }

  /** One state being executed, with the input/output processing both query languages share. */
  private final class StateRun {
    final Scope scope;
    final String name;
    final JsonNode state;
    final JsonNode rawInput;
    final boolean jsonata;
    final Payloads.Site site;
    final Instant enteredTime;
    int retryCount;
    String taskToken;

    StateRun(Scope scope, String name, JsonNode state, JsonNode rawInput, boolean jsonata, Payloads.Site site,
        Instant enteredTime) {
      this.scope = scope;
      this.name = name;
      this.state = state;
      this.rawInput = rawInput;
      this.jsonata = jsonata;
      this.site = site;
      this.enteredTime = enteredTime;
    }

    ObjectNode context() {
      Execution execution = scope.execution();
      StateMachine machine = execution.stateMachine();
      ObjectNode context = Json.object();
      ObjectNode executionNode = context.putObject("Execution");
      executionNode.put("Id", execution.arn());
      executionNode.set("Input", execution.inputNode());
      executionNode.put("StartTime", execution.startDate().toString());
      executionNode.put("Name", execution.name());
      executionNode.put("RoleArn", machine.roleArn());
      executionNode.put("RedriveCount", 0);
      ObjectNode machineNode = context.putObject("StateMachine");
      machineNode.put("Id", machine.arn());
      machineNode.put("Name", machine.name());
      ObjectNode stateNode = context.putObject("State");
      stateNode.put("Name", name);
      stateNode.put("EnteredTime", enteredTime.toString());
      if (state.get("Type").textValue().equals("Task")) {
        stateNode.put("RetryCount", retryCount);
      }
      if (taskToken != null) {
        context.putObject("Task").put("Token", taskToken);
      }
      if (scope.mapContext() != null) {
        context.set("Map", scope.mapContext());
      }
      return context;
    }

    ObjectNode statesVariable(JsonNode result, JsonNode errorOutput) {
      ObjectNode states = Json.object();
      states.set("input", rawInput);
      states.set("context", context());
      if (result != null) {
        states.set("result", result);
      }
      if (errorOutput != null) {
        states.set("errorOutput", errorOutput);
      }
      return states;
    }

    JsonNode jsonata(JsonNode template, String field, JsonNode result, JsonNode errorOutput) {
      return Payloads.evaluateJsonata(template, statesVariable(result, errorOutput), scope.variables(), site, field);
    }

    /** InputPath, then Parameters (JSONPath), or Arguments (JSONata): what the state works on. */
    JsonNode effectiveInput() {
      if (jsonata) {
        return state.has("Arguments") ? jsonata(state.get("Arguments"), "Arguments", null, null) : rawInput;
      }
      JsonNode input = inputPath();
      if (state.has("Parameters")) {
        input = Payloads.applyJsonPathTemplate(state.get("Parameters"), input, context(), scope.variables(), site);
      }
      return input;
    }

    JsonNode inputPath() {
      if (!state.has("InputPath")) {
        return rawInput;
      }
      JsonNode path = state.get("InputPath");
      if (path.isNull()) {
        return Json.object();
      }
      return readPath(path.textValue(), rawInput, "InputPath");
    }

    JsonNode readPath(String path, JsonNode from, String field) {
      try {
        return Payloads.isVariableReference(path)
            ? Payloads.resolveDynamic(path, field, from, context(), scope.variables(), site)
            : JsonPaths.read(path, from, context());
      } catch (PathNotFoundException e) {
        throw site.runtime("Invalid path '" + path + "' : " + e.getMessage());
      }
    }

    /**
     * ResultSelector, ResultPath and OutputPath (JSONPath) or Output and Assign (JSONata) applied to a result;
     * without {@code hasResult} the state produced no result of its own (Choice, Wait, Succeed) and passes its input.
     */
    JsonNode finalOutput(JsonNode result, boolean hasResult) {
      if (jsonata) {
        JsonNode output = state.has("Output") ? jsonata(state.get("Output"), "Output", result, null)
            : hasResult ? result : rawInput;
        assign(state.get("Assign"), result, null);
        return output;
      }
      JsonNode combined = rawInput;
      if (hasResult) {
        JsonNode selected = result;
        if (state.has("ResultSelector")) {
          selected = Payloads.applyJsonPathTemplate(state.get("ResultSelector"), result, context(),
              scope.variables(), site);
        }
        combined = applyResultPath(state, selected);
      } else if (state.has("InputPath")) {
        combined = inputPath();
      }
      JsonNode output = outputPath(combined);
      assignJsonPath(state.get("Assign"), result == null ? rawInput : result);
      return output;
    }

    JsonNode applyResultPath(JsonNode holder, JsonNode result) {
      if (!holder.has("ResultPath")) {
        return result;
      }
      JsonNode path = holder.get("ResultPath");
      if (path.isNull()) {
        return rawInput;
      }
      return JsonPaths.write(path.textValue(), rawInput, result);
    }

    JsonNode outputPath(JsonNode value) {
      if (!state.has("OutputPath")) {
        return value;
      }
      JsonNode path = state.get("OutputPath");
      if (path.isNull()) {
        return Json.object();
      }
      return readPath(path.textValue(), value, "OutputPath");
    }

    void assign(JsonNode assignments, JsonNode result, JsonNode errorOutput) {
      if (assignments == null) {
        return;
      }
      JsonNode values = jsonata(assignments, "Assign", result, errorOutput);
      values.fields().forEachRemaining(entry -> scope.variables().put(entry.getKey(), entry.getValue()));
    }

    void assignJsonPath(JsonNode assignments, JsonNode result) {
      if (assignments == null) {
        return;
      }
      JsonNode values = Payloads.applyJsonPathTemplate(assignments, result, context(), scope.variables(), site);
      values.fields().forEachRemaining(entry -> scope.variables().put(entry.getKey(), entry.getValue()));
    }
  }

  private Future<Step> pass(StateRun run) {
    if (run.jsonata) {
      return Future.succeededFuture(new Step(next(run.state), run.finalOutput(null, false)));
    }
    JsonNode effective = run.effectiveInput();
    JsonNode result = run.state.has("Result") ? run.state.get("Result") : effective;
    JsonNode output = run.outputPath(run.applyResultPath(run.state, result));
    run.assignJsonPath(run.state.get("Assign"), result);
    return Future.succeededFuture(new Step(next(run.state), output));
  }

  private static String next(JsonNode state) {
    return state.path("End").asBoolean(false) ? null : state.get("Next").textValue();
  }

  private Future<Step> choice(StateRun run) {
    JsonNode rules = run.state.get("Choices");
    if (run.jsonata) {
      for (JsonNode rule : rules) {
        JsonNode condition = run.jsonata(rule.get("Condition"), "Condition", null, null);
        if (!condition.isBoolean()) {
          throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, run.site.prefix()
              + "The Condition field of a Choice rule must evaluate to a boolean, got " + Json.write(condition));
        }
        if (condition.booleanValue()) {
          JsonNode outputTemplate = rule.has("Output") ? rule.get("Output") : run.state.get("Output");
          JsonNode output = outputTemplate == null ? run.rawInput
              : run.jsonata(outputTemplate, "Output", null, null);
          run.assign(rule.has("Assign") ? rule.get("Assign") : run.state.get("Assign"), null, null);
          return Future.succeededFuture(new Step(rule.get("Next").textValue(), output));
        }
      }
    } else {
      JsonNode input = run.inputPath();
      ObjectNode context = run.context();
      for (JsonNode rule : rules) {
        if (ChoiceRules.matches(rule, input, context, run.scope.variables(), run.site)) {
          JsonNode output = run.outputPath(input);
          run.assignJsonPath(rule.get("Assign"), input);
          return Future.succeededFuture(new Step(rule.get("Next").textValue(), output));
        }
      }
    }
    if (run.state.has("Default")) {
      return Future.succeededFuture(new Step(run.state.get("Default").textValue(), run.finalOutput(null, false)));
    }
    throw new StatesError(StatesError.NO_CHOICE_MATCHED, run.site.prefix()
        + "No Matches! and no Default Choice was specified.");
  }

  private Future<Step> waitState(StateRun run) {
    JsonNode state = run.state;
    WaitTimes times = new WaitTimes(scheduler.now(), run.site);
    Duration wait;
    if (run.jsonata) {
      wait = state.has("Seconds")
          ? times.seconds(run.jsonata(state.get("Seconds"), "Seconds", null, null), "Seconds", "Seconds")
          : times.untilJsonataTimestamp(run.jsonata(state.get("Timestamp"), "Timestamp", null, null));
    } else {
      JsonNode input = run.inputPath();
      if (state.has("Seconds")) {
        wait = Duration.ofSeconds(state.get("Seconds").longValue());
      } else if (state.has("SecondsPath")) {
        String path = state.get("SecondsPath").textValue();
        wait = times.seconds(run.readPath(path, input, "SecondsPath"), "SecondsPath", path);
      } else if (state.has("Timestamp")) {
        wait = times.untilTimestamp(state.get("Timestamp"), "Timestamp", "Timestamp");
      } else {
        String path = state.get("TimestampPath").textValue();
        wait = times.untilTimestamp(run.readPath(path, input, "TimestampPath"), "TimestampPath", path);
      }
    }
    return scheduler.delay(times.checked(wait)).elapsed()
        .map(v -> new Step(next(state), run.finalOutput(null, false)));
  }

  private Future<Step> fail(StateRun run) {
    JsonNode state = run.state;
    String error = null;
    String cause = null;
    if (run.jsonata) {
      if (state.has("Error")) {
        error = Values.javaText(run.jsonata(state.get("Error"), "Error", null, null));
      }
      if (state.has("Cause")) {
        cause = Values.javaText(run.jsonata(state.get("Cause"), "Cause", null, null));
      }
    } else {
      ObjectNode context = run.context();
      error = state.has("ErrorPath")
          ? Payloads.resolveDynamic(state.get("ErrorPath").textValue(), "ErrorPath", run.rawInput, context,
              run.scope.variables(), run.site).asText()
          : state.path("Error").textValue();
      cause = state.has("CausePath")
          ? Payloads.resolveDynamic(state.get("CausePath").textValue(), "CausePath", run.rawInput, context,
              run.scope.variables(), run.site).asText()
          : state.path("Cause").textValue();
    }
    return Future.failedFuture(new StatesError(error, cause));
  }

  private Future<Step> withRetryAndCatch(StateRun run) {
    Promise<Step> outcome = Promise.promise();
    attempt(run, new int[retriersCount(run.state)], outcome);
    return outcome.future();
  }

  private static int retriersCount(JsonNode state) {
    return state.has("Retry") ? state.get("Retry").size() : 0;
  }

  private void attempt(StateRun run, int[] attemptsPerRetrier, Promise<Step> outcome) {
    Future<JsonNode> result;
    try {
      result = switch (run.state.get("Type").textValue()) {
        case "Task" -> task(run);
        case "Parallel" -> parallel(run);
        default -> map(run);
      };
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.map(value -> new Step(next(run.state), run.finalOutput(value, true)))
        .onSuccess(outcome::tryComplete)
        .onFailure(failure -> retryOrCatch(run, attemptsPerRetrier, outcome, failure));
  }

  private void retryOrCatch(StateRun run, int[] attemptsPerRetrier, Promise<Step> outcome, Throwable failure) {
    if (!(failure instanceof StatesError error) || run.scope.cancellation().isCancelled()) {
      outcome.tryFail(failure);
      return;
    }
    Duration delay = retryDelay(run.state, error, attemptsPerRetrier);
    if (delay != null) {
      run.retryCount++;
      scheduler.delay(delay).elapsed().compose(v -> transitions.admit(run.scope.execution())).onSuccess(v -> {
        if (run.scope.cancellation().isCancelled()) {
          outcome.tryFail(new Cancelled());
        } else {
          attempt(run, attemptsPerRetrier, outcome);
        }
      });
      return;
    }
    try {
      Step caught = catchError(run, error);
      if (caught == null) {
        outcome.tryFail(error);
      } else {
        outcome.tryComplete(caught);
      }
    } catch (RuntimeException e) {
      outcome.tryFail(e);
    }
  }

  /** The delay before the next attempt, or null when no retrier applies or its attempts are used up. */
  private static Duration retryDelay(JsonNode state, StatesError error, int[] attemptsPerRetrier) {
    JsonNode retriers = state.get("Retry");
    if (retriers == null) {
      return null;
    }
    for (int i = 0; i < retriers.size(); i++) {
      JsonNode retrier = retriers.get(i);
      if (!handles(retrier, error)) {
        continue;
      }
      int maxAttempts = retrier.path("MaxAttempts").asInt(3);
      if (attemptsPerRetrier[i] >= maxAttempts) {
        return null;
      }
      double interval = retrier.path("IntervalSeconds").asDouble(1);
      double backoff = retrier.path("BackoffRate").asDouble(2.0);
      double seconds = interval * Math.pow(backoff, attemptsPerRetrier[i]);
      if (retrier.has("MaxDelaySeconds")) {
        seconds = Math.min(seconds, retrier.get("MaxDelaySeconds").asDouble());
      }
      if ("FULL".equals(retrier.path("JitterStrategy").asText("NONE"))) {
        seconds = ThreadLocalRandom.current().nextDouble() * seconds;
      }
      attemptsPerRetrier[i]++;
      return Duration.ofMillis(Math.round(seconds * 1000));
    }
    return null;
  }

  private static boolean handles(JsonNode clause, StatesError error) {
    for (JsonNode name : clause.get("ErrorEquals")) {
      if (error.matches(name.textValue())) {
        return true;
      }
    }
    return false;
  }

  private Step catchError(StateRun run, StatesError error) {
    JsonNode catchers = run.state.get("Catch");
    if (catchers == null) {
      return null;
    }
    for (JsonNode catcher : catchers) {
      if (!handles(catcher, error)) {
        continue;
      }
      ObjectNode errorOutput = Json.object();
      errorOutput.put("Error", error.error());
      errorOutput.put("Cause", error.cause());
      JsonNode output;
      if (run.jsonata) {
        output = catcher.has("Output") ? run.jsonata(catcher.get("Output"), "Output", null, errorOutput)
            : errorOutput;
        run.assign(catcher.get("Assign"), null, errorOutput);
      } else {
        output = run.applyResultPath(catcher, errorOutput);
        run.assignJsonPath(catcher.get("Assign"), errorOutput);
      }
      return new Step(catcher.get("Next").textValue(), output);
    }
    return null;
  }

  private Future<JsonNode> task(StateRun run) {
    String resourceArn = run.jsonata && JsonataEvaluator.isExpression(run.state.get("Resource"))
        ? run.jsonata(run.state.get("Resource"), "Resource", null, null).asText()
        : run.state.get("Resource").textValue();
    TaskResources.Resource resource;
    try {
      resource = TaskResources.parse(resourceArn);
    } catch (IllegalArgumentException e) {
      throw run.site.runtime(e.getMessage());
    }
    if (resource.waitForTaskToken()) {
      run.taskToken = TaskTokens.newToken();
    }
    JsonNode parameters = run.effectiveInput();
    Long timeoutSeconds = seconds(run, "TimeoutSeconds");
    Long heartbeatSeconds = seconds(run, "HeartbeatSeconds");
    recordScheduled(run, resource, parameters, timeoutSeconds, heartbeatSeconds);
    Promise<JsonNode> done = Promise.promise();
    List<Runnable> cancellations = new ArrayList<>();
    if (timeoutSeconds != null) {
      Scheduler.Delay timeout = scheduler.delay(Duration.ofSeconds(timeoutSeconds));
      cancellations.add(timeout::cancel);
      timeout.elapsed().onSuccess(v -> done.tryFail(new StatesError(StatesError.TIMEOUT, null)));
    }
    if (resource.waitForTaskToken()) {
      String token = run.taskToken;
      HeartbeatWatch heartbeat = new HeartbeatWatch(heartbeatSeconds, done);
      cancellations.add(heartbeat::cancel);
      tokens.await(token, run.scope.execution().arn(), run.scope.context(), heartbeat::restart)
          .onComplete(unlessEnded(done));
      heartbeat.restart();
      invoke(run, resource, parameters).onFailure(done::tryFail);
      cancellations.add(() -> tokens.abandon(token));
    } else {
      invoke(run, resource, parameters).onComplete(unlessEnded(done));
    }
    return done.future()
        .andThen(v -> cancellations.forEach(Runnable::run))
        .map(output -> recordSucceeded(run, resource, output))
        .recover(failure -> recordFailed(run, resource, failure));
  }

  private void recordScheduled(StateRun run, TaskResources.Resource resource, JsonNode parameters,
      Long timeoutSeconds, Long heartbeatSeconds) {
    Trace trace = run.scope.trace();
    ObjectNode scheduled = Json.object();
    if (timeoutSeconds != null) {
      scheduled.put("timeoutInSeconds", timeoutSeconds);
    }
    if (resource.isPlainLambda()) {
      scheduled.put("resource", resource.arn());
      scheduled.put("input", Json.write(parameters));
      scheduled.putObject("inputDetails").put("truncated", false);
      trace.event("LambdaFunctionScheduled", "lambdaFunctionScheduledEventDetails", scheduled);
      trace.event("LambdaFunctionStarted", null, null);
      return;
    }
    scheduled.put("resourceType", resource.resourceType());
    scheduled.put("resource", resourceName(resource));
    scheduled.put("region", regionOf(run.scope.execution()));
    scheduled.put("parameters", Json.write(parameters));
    if (heartbeatSeconds != null) {
      scheduled.put("heartbeatInSeconds", heartbeatSeconds);
    }
    trace.event("TaskScheduled", "taskScheduledEventDetails", scheduled);
    trace.event("TaskStarted", "taskStartedEventDetails", Json.object()
        .put("resourceType", resource.resourceType()).put("resource", resourceName(resource)));
  }

  private JsonNode recordSucceeded(StateRun run, TaskResources.Resource resource, JsonNode output) {
    if (resource.isPlainLambda()) {
      run.scope.trace().event("LambdaFunctionSucceeded", "lambdaFunctionSucceededEventDetails",
          Json.object().put("output", Json.write(output)));
    } else {
      ObjectNode succeeded = Json.object().put("resourceType", resource.resourceType())
          .put("resource", resourceName(resource)).put("output", Json.write(output));
      succeeded.putObject("outputDetails").put("truncated", false);
      run.scope.trace().event("TaskSucceeded", "taskSucceededEventDetails", succeeded);
    }
    return output;
  }

  private Future<JsonNode> recordFailed(StateRun run, TaskResources.Resource resource, Throwable failure) {
    if (failure instanceof StatesError error && !run.scope.cancellation().isCancelled()) {
      boolean timedOut = StatesError.TIMEOUT.equals(error.error())
          || StatesError.HEARTBEAT_TIMEOUT.equals(error.error());
      boolean lambda = resource.isPlainLambda();
      ObjectNode details = Json.object();
      if (!lambda) {
        details.put("resourceType", resource.resourceType()).put("resource", resourceName(resource));
      }
      details.put("error", error.error()).put("cause", error.cause());
      String type = (lambda ? "LambdaFunction" : "Task") + (timedOut ? "TimedOut" : "Failed");
      String field = (lambda ? "lambdaFunction" : "task") + (timedOut ? "TimedOut" : "Failed") + "EventDetails";
      run.scope.trace().event(type, field, details);
    }
    return Future.failedFuture(failure);
  }

  private Future<JsonNode> invoke(StateRun run, TaskResources.Resource resource, JsonNode parameters) {
    Future<JsonNode> invocation;
    try {
      invocation = resources.invoke(roleOf(run), resource, parameters, run.scope.execution().traceHeader());
    } catch (RuntimeException e) {
      invocation = Future.failedFuture(e);
    }
    return invocation.recover(failure -> Future.failedFuture(failure instanceof StatesError ? failure
        : new StatesError(resource.kind().startsWith("lambda") ? "Lambda.ServiceException"
            : StatesError.TASK_FAILED, String.valueOf(failure.getMessage()))));
  }

  /** The HeartbeatSeconds watch of a callback task: each heartbeat starts the countdown again. */
  private final class HeartbeatWatch {
    private final Long seconds;
    private final Promise<JsonNode> task;
    private Scheduler.Delay current;

    HeartbeatWatch(Long seconds, Promise<JsonNode> task) {
      this.seconds = seconds;
      this.task = task;
    }

    void restart() {
      if (seconds == null) {
        return;
      }
      cancel();
      Scheduler.Delay delay = scheduler.delay(Duration.ofSeconds(seconds));
      current = delay;
      delay.elapsed().onSuccess(v -> {
        if (current == delay) {
          task.tryFail(new StatesError(StatesError.HEARTBEAT_TIMEOUT, null));
        }
      });
    }

    void cancel() {
      if (current != null) {
        current.cancel();
      }
    }
  }

  /**
   * Completes the task with an outcome unless its timeout (or heartbeat) ended it first: a result arriving after the
   * task timed out completes nothing, as in AWS.
   */
  private static <T> Handler<AsyncResult<T>> unlessEnded(Promise<T> task) {
    return outcome -> {
      if (outcome.succeeded()) {
        task.tryComplete(outcome.result());
      } else {
        task.tryFail(outcome.cause());
      }
    };
  }

  private static String roleOf(StateRun run) {
    return run.scope.execution().stateMachine().roleArn();
  }

  private static String resourceName(TaskResources.Resource resource) {
    return resource.action() + (resource.waitForTaskToken() ? TaskResources.WAIT_FOR_TASK_TOKEN : "");
  }

  private static String regionOf(Execution execution) {
    return execution.arn().split(":")[3];
  }

  private Long seconds(StateRun run, String field) {
    JsonNode value = run.state.get(field);
    if (value == null && !run.jsonata && run.state.has(field + "Path")) {
      value = run.readPath(run.state.get(field + "Path").textValue(), run.rawInput, field + "Path");
    }
    if (value == null) {
      return null;
    }
    if (run.jsonata && JsonataEvaluator.isExpression(value)) {
      value = run.jsonata(value, field, null, null);
    }
    if (!value.isIntegralNumber() || value.longValue() <= 0) {
      throw run.site.runtime("The " + field + " value must be a positive integer, got " + Json.write(value));
    }
    return value.longValue();
  }

  /** Runs the branches side by side; the first failure fails the state at once and cancels the other branches. */
  private Future<JsonNode> parallel(StateRun run) {
    JsonNode input = run.effectiveInput();
    Scope scope = run.scope;
    scope.trace().event("ParallelStateStarted", null, null);
    JsonNode branches = run.state.get("Branches");
    Cancellation siblings = new Cancellation(scope.execution(), scope.cancellation());
    JsonNode[] outputs = new JsonNode[branches.size()];
    int[] running = {branches.size()};
    Promise<JsonNode> done = Promise.promise();
    for (int i = 0; i < branches.size(); i++) {
      int index = i;
      JsonNode branch = branches.get(i);
      Scope branchScope = scope.child(branch, scope.trace().fork(), scope.mapContext(), siblings);
      runBlock(branchScope, branch.get("StartAt").textValue(), input)
          .onSuccess(output -> {
            outputs[index] = output;
            if (--running[0] == 0 && !done.future().isComplete()) {
              scope.trace().catchUp();
              scope.trace().event("ParallelStateSucceeded", null, null);
              done.complete(Json.NODES.arrayNode().addAll(List.of(outputs)));
            }
          })
          .onFailure(failure -> {
            if (!done.future().isComplete()) {
              siblings.cancel();
              scope.trace().catchUp();
              if (!(failure instanceof Cancelled)) {
                scope.trace().event("ParallelStateFailed", null, null);
              }
              done.fail(failure);
            }
          });
    }
    return done.future();
  }

  private Future<JsonNode> map(StateRun run) {
    JsonNode state = run.state;
    JsonNode items;
    JsonNode selectorInput;
    if (run.jsonata) {
      items = state.has("Items") ? run.jsonata(state.get("Items"), "Items", null, null) : run.rawInput;
      selectorInput = run.rawInput;
      if (!items.isArray()) {
        throw MapSettings.itemsNotArray(state.get("Items"), items, run.site);
      }
    } else {
      selectorInput = run.inputPath();
      items = state.has("ItemsPath")
          ? run.readPath(state.get("ItemsPath").textValue(), selectorInput, "ItemsPath") : selectorInput;
      if (!items.isArray()) {
        throw run.site.runtime(MapSettings.INPUT_NOT_ARRAY + Json.write(items));
      }
    }
    run.scope.trace().event("MapStateStarted", "mapStateStartedEventDetails",
        Json.object().put("length", items.size()));
    if (items.isEmpty()) {
      run.scope.trace().event("MapStateSucceeded", null, null);
      return Future.succeededFuture(Json.NODES.arrayNode());
    }
    return new MapRun(run, (ArrayNode) items, selectorInput).start();
  }

  /** The iterations of one inline Map state: at most MaxConcurrency at a time, results kept in item order. */
  private final class MapRun {
    private final StateRun run;
    private final ArrayNode items;
    private final JsonNode selectorInput;
    private final JsonNode processor;
    private final JsonNode selector;
    private final int maxConcurrency;
    private final int tolerated;
    private final boolean toleranceSet;
    private final JsonNode[] outputs;
    private final Cancellation siblings;
    private final Promise<JsonNode> done = Promise.promise();
    private int launched;
    private int finished;
    private int failures;

    MapRun(StateRun run, ArrayNode items, JsonNode selectorInput) {
      JsonNode state = run.state;
      this.run = run;
      this.items = items;
      this.selectorInput = selectorInput;
      this.processor = state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
      this.selector = state.has("ItemSelector") ? state.get("ItemSelector") : state.get("Parameters");
      Integer concurrency = MapSettings.maxConcurrency(mapSetting(run, "MaxConcurrency"), run.site);
      Integer count = MapSettings.toleratedFailureCount(mapSetting(run, "ToleratedFailureCount"), run.site);
      Float percentage = MapSettings.toleratedFailurePercentage(mapSetting(run, "ToleratedFailurePercentage"),
          run.site);
      this.maxConcurrency = concurrency == null ? 0 : concurrency;
      int byCount = count == null ? 0 : count;
      int byPercentage = percentage == null ? 0 : (int) Math.floor(items.size() * percentage / 100.0);
      this.tolerated = Math.max(byCount, byPercentage);
      this.toleranceSet = count != null || percentage != null;
      this.outputs = new JsonNode[items.size()];
      this.siblings = new Cancellation(run.scope.execution(), run.scope.cancellation());
    }

    Future<JsonNode> start() {
      launchMore();
      return done.future();
    }

    private void launchMore() {
      while (launched < items.size() && !done.future().isComplete()
          && (maxConcurrency <= 0 || launched - finished < maxConcurrency)) {
        iterate(launched++);
      }
    }

    private void iterate(int index) {
      Scope scope = run.scope;
      ObjectNode mapContext = Json.object();
      mapContext.putObject("Item").put("Index", index).set("Value", items.get(index));
      JsonNode input;
      try {
        input = iterationInput(mapContext, items.get(index));
      } catch (RuntimeException e) {
        done.tryFail(e);
        return;
      }
      Trace trace = scope.trace().fork();
      ObjectNode iteration = Json.object().put("name", run.name).put("index", index);
      trace.event("MapIterationStarted", "mapIterationStartedEventDetails", iteration);
      runBlock(scope.child(processor, trace, mapContext, siblings), processor.get("StartAt").textValue(), input)
          .onSuccess(output -> {
            outputs[index] = output;
            trace.event("MapIterationSucceeded", "mapIterationSucceededEventDetails", iteration);
            finished();
          })
          .onFailure(failure -> {
            if (failure instanceof StatesError error) {
              trace.event("MapIterationFailed", "mapIterationFailedEventDetails", iteration);
              outputs[index] = Json.object().put("Error", error.error()).put("Cause", error.cause());
              if (++failures > tolerated) {
                siblings.cancel();
                run.scope.trace().event("MapStateFailed", null, null);
                done.tryFail(toleranceSet ? new StatesError(StatesError.EXCEED_TOLERATED_FAILURE_THRESHOLD,
                    "The specified tolerated failure threshold was exceeded") : error);
              }
            } else {
              done.tryFail(failure);
            }
            finished();
          });
    }

    private JsonNode iterationInput(ObjectNode mapContext, JsonNode item) {
      if (selector == null) {
        return item;
      }
      if (run.jsonata) {
        ObjectNode states = run.statesVariable(null, null);
        ((ObjectNode) states.get("context")).set("Map", mapContext);
        return Payloads.evaluateJsonata(selector, states, run.scope.variables(), run.site, "ItemSelector");
      }
      ObjectNode context = run.context();
      context.set("Map", mapContext);
      return Payloads.applyJsonPathTemplate(selector, selectorInput, context, run.scope.variables(), run.site);
    }

    private void finished() {
      finished++;
      run.scope.trace().catchUp();
      if (finished == items.size() && !done.future().isComplete()) {
        ArrayNode results = Json.NODES.arrayNode();
        for (JsonNode output : outputs) {
          results.add(output);
        }
        run.scope.trace().event("MapStateSucceeded", null, null);
        done.tryComplete(results);
      } else {
        launchMore();
      }
    }
  }

  /** A numeric Map setting as given: a value, a JSONata expression's result or (JSONPath) a {@code ...Path}'s. */
  private MapSettings.Setting mapSetting(StateRun run, String field) {
    JsonNode value = run.state.get(field);
    if (value == null && !run.jsonata && run.state.has(field + "Path")) {
      String path = run.state.get(field + "Path").textValue();
      return new MapSettings.Setting(field, run.readPath(path, run.rawInput, field + "Path"), path);
    }
    if (value != null && run.jsonata && JsonataEvaluator.isExpression(value)) {
      value = run.jsonata(value, field, null, null);
    }
    return value == null ? null : new MapSettings.Setting(field, value, null);
  }
}
