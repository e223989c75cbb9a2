package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an ASL definition when it is created, collecting every problem with its location as AWS reports them.
 *
 * <p>Longer than most classes on purpose: it is the specification's list of rules per state type, read top to bottom
 * against the ASL text; split by state type it would scatter the rules that hold across types (names, transitions,
 * reachability, paths).
 */
final class DefinitionValidator {

  private static final Set<String> TYPES = Set.of("Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel",
      "Map");
  private static final Set<String> JSONPATH_ONLY_FIELDS = Set.of("InputPath", "OutputPath", "ResultPath",
      "Parameters", "ResultSelector", "ItemsPath", "SecondsPath", "TimestampPath", "ErrorPath", "CausePath",
      "TimeoutSecondsPath", "HeartbeatSecondsPath");
  private static final Set<String> JSONATA_ONLY_FIELDS = Set.of("Arguments", "Output", "Items");
  private static final Set<String> COMMON_FIELDS = Set.of("Type", "Comment", "QueryLanguage");
  private static final Set<String> FLOW_FIELDS = Set.of("Next", "End", "Assign", "InputPath", "OutputPath",
      "Output");
  private static final Set<String> TASK_LIKE_FIELDS = Set.of("Parameters", "Arguments", "ResultPath",
      "ResultSelector", "Retry", "Catch");
  private static final Map<String, Set<String>> FIELDS_BY_TYPE = Map.of(
      "Pass", Set.of("Parameters", "Result", "ResultPath"),
      "Task", Set.of("Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds",
          "HeartbeatSecondsPath", "Credentials"),
      "Choice", Set.of("Choices", "Default", "InputPath", "OutputPath", "Output", "Assign"),
      "Wait", Set.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath"),
      "Succeed", Set.of("InputPath", "OutputPath", "Output"),
      "Fail", Set.of("Error", "ErrorPath", "Cause", "CausePath"),
      "Parallel", Set.of("Branches"),
      "Map", Set.of("ItemProcessor", "Iterator", "ItemsPath", "Items", "ItemSelector", "MaxConcurrency",
          "MaxConcurrencyPath", "ToleratedFailureCount", "ToleratedFailurePercentage", "ToleratedFailureCountPath",
          "ToleratedFailurePercentagePath"));

  private final List<String> problems = new ArrayList<>();

  private DefinitionValidator() {
  }

  /** The problems of a definition; empty when it is valid. */
  static List<String> validate(JsonNode definition) {
    DefinitionValidator validator = new DefinitionValidator();
    if (!definition.isObject()) {
      validator.problems.add("SCHEMA_VALIDATION_FAILED: The definition must be a JSON object at /");
      return validator.problems;
    }
    String language = definition.path("QueryLanguage").asText(Interpreter.JSONPATH);
    validator.positiveInteger(definition, "TimeoutSeconds", "", false);
    if (!Set.of(Interpreter.JSONPATH, Interpreter.JSONATA).contains(language)) {
      validator.problems.add("SCHEMA_VALIDATION_FAILED: QueryLanguage must be JSONPath or JSONata at /QueryLanguage");
    }
    validator.block(definition, "", language);
    return validator.problems;
  }

  private void block(JsonNode block, String at, String language) {
    JsonNode states = block.get("States");
    JsonNode startAt = block.get("StartAt");
    if (states == null || !states.isObject() || states.isEmpty()) {
      problems.add("SCHEMA_VALIDATION_FAILED: The field \"States\" is required but was missing or empty at "
          + orRoot(at));
      return;
    }
    if (startAt == null || !startAt.isTextual()) {
      problems.add("SCHEMA_VALIDATION_FAILED: The field \"StartAt\" is required but was missing at " + orRoot(at));
      return;
    }
    if (!states.has(startAt.textValue())) {
      problems.add("MISSING_TRANSITION_TARGET: Missing 'Next' target: " + startAt.textValue() + " at " + at
          + "/StartAt");
    }
    Iterator<Map.Entry<String, JsonNode>> fields = states.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> entry = fields.next();
      String name = entry.getKey();
      if (name.isEmpty() || name.length() > 80) {
        problems.add("SCHEMA_VALIDATION_FAILED: State names must be 1 to 80 characters long at " + at
            + "/States/" + name);
      }
      state(name, entry.getValue(), states, at + "/States/" + name, language);
    }
    reachability(states, startAt.textValue(), at);
  }

  private void state(String name, JsonNode state, JsonNode states, String at, String inheritedLanguage) {
    if (!state.isObject()) {
      problems.add("SCHEMA_VALIDATION_FAILED: A state must be an object at " + at);
      return;
    }
    JsonNode typeNode = state.get("Type");
    if (typeNode == null || !typeNode.isTextual()) {
      problems.add(typeNode == null
          ? "SCHEMA_VALIDATION_FAILED: The field \"Type\" is required but was missing at " + at
          : "SCHEMA_VALIDATION_FAILED: The field \"Type\" must be a string at " + at + "/Type");
      return;
    }
    String type = typeNode.textValue();
    if (!TYPES.contains(type)) {
      problems.add("SCHEMA_VALIDATION_FAILED: Unknown state type '" + type + "' at " + at + "/Type");
      return;
    }
    state.fieldNames().forEachRemaining(field -> {
      if (!supports(type, field)) {
        problems.add("SCHEMA_VALIDATION_FAILED: Field '" + field + "' is not supported for a " + type + " state at "
            + at + "/" + field);
      }
    });
    String language = state.path("QueryLanguage").asText(inheritedLanguage);
    if (!Set.of(Interpreter.JSONPATH, Interpreter.JSONATA).contains(language)) {
      problems.add("SCHEMA_VALIDATION_FAILED: QueryLanguage must be JSONPath or JSONata at " + at + "/QueryLanguage");
      return;
    }
    if (!Interpreter.JSONPATH.equals(inheritedLanguage) && Interpreter.JSONPATH.equals(language)) {
      problems.add("SCHEMA_VALIDATION_FAILED: A state cannot use JSONPath inside a JSONata state machine at " + at);
    }
    boolean jsonata = Interpreter.JSONATA.equals(language);
    for (String field : jsonata ? JSONPATH_ONLY_FIELDS : JSONATA_ONLY_FIELDS) {
      if (state.has(field)) {
        problems.add("SCHEMA_VALIDATION_FAILED: The field \"" + field + "\" is not supported for the "
            + language + " query language at " + at + "/" + field);
      }
    }
    transitions(type, state, states, at);
    if (jsonata) {
      jsonataFields(state, at);
    } else {
      jsonPathFields(type, state, at);
    }
    switch (type) {
      case "Task" -> {
        JsonNode resource = state.get("Resource");
        if (resource == null || !resource.isTextual()) {
          problems.add("SCHEMA_VALIDATION_FAILED: The field \"Resource\" is required but was missing at " + at);
        } else if (!resource.textValue().startsWith("arn:") && !JsonataEvaluator.isExpression(resource)) {
          problems.add("SCHEMA_VALIDATION_FAILED: Value is not a valid resource ARN at " + at + "/Resource");
        }
        positiveInteger(state, "TimeoutSeconds", at, jsonata);
        positiveInteger(state, "HeartbeatSeconds", at, jsonata);
        errorHandlers(state, states, at);
      }
      case "Choice" -> choice(state, states, at, jsonata);
      case "Wait" -> {
        int count = 0;
        for (String field : List.of("Seconds", "SecondsPath", "Timestamp", "TimestampPath")) {
          count += state.has(field) ? 1 : 0;
        }
        if (count != 1) {
          problems.add("SCHEMA_VALIDATION_FAILED: A Wait state needs exactly one of Seconds, SecondsPath, "
              + "Timestamp, TimestampPath at " + at);
        }
        if (!jsonata && state.has("Seconds") && (!state.get("Seconds").isIntegralNumber()
            || state.get("Seconds").asLong() < 0)) {
          problems.add("SCHEMA_VALIDATION_FAILED: Seconds must be a non-negative integer at " + at + "/Seconds");
        }
        if (!jsonata && state.has("Timestamp") && ChoiceRules.timestamp(state.get("Timestamp")) == null) {
          problems.add("SCHEMA_VALIDATION_FAILED: Timestamp must be an ISO-8601 date-time at " + at
              + "/Timestamp");
        }
      }
      case "Parallel" -> {
        JsonNode branches = state.get("Branches");
        if (branches == null || !branches.isArray() || branches.isEmpty()) {
          problems.add("SCHEMA_VALIDATION_FAILED: The field \"Branches\" is required but was missing at " + at);
        } else {
          for (int i = 0; i < branches.size(); i++) {
            block(branches.get(i), at + "/Branches[" + i + "]", language);
          }
        }
        errorHandlers(state, states, at);
      }
      case "Map" -> {
        JsonNode processor = state.has("ItemProcessor") ? state.get("ItemProcessor") : state.get("Iterator");
        if (processor == null || !processor.isObject()) {
          problems.add("SCHEMA_VALIDATION_FAILED: The field \"ItemProcessor\" is required but was missing at "
              + at);
        } else {
          String mode = processor.path("ProcessorConfig").path("Mode").asText("INLINE");
          if (!"INLINE".equals(mode)) {
            problems.add("SCHEMA_VALIDATION_FAILED: Only the INLINE Map mode is supported locally at " + at
                + "/ItemProcessor/ProcessorConfig/Mode");
          }
          block(processor, at + (state.has("ItemProcessor") ? "/ItemProcessor" : "/Iterator"), language);
        }
        for (String field : List.of("MaxConcurrency", "ToleratedFailureCount")) {
          JsonNode value = state.get(field);
          if (value != null && !JsonataEvaluator.isExpression(value)
              && (!value.isIntegralNumber() || value.asLong() < 0)) {
            problems.add("SCHEMA_VALIDATION_FAILED: " + field + " must be a non-negative integer at " + at + "/"
                + field);
          }
        }
        JsonNode percentage = state.get("ToleratedFailurePercentage");
        if (percentage != null && !JsonataEvaluator.isExpression(percentage)
            && (!percentage.isNumber() || percentage.asDouble() < 0 || percentage.asDouble() > 100)) {
          problems.add("SCHEMA_VALIDATION_FAILED: ToleratedFailurePercentage must be a number from 0 to 100 at " + at
              + "/ToleratedFailurePercentage");
        }
        errorHandlers(state, states, at);
      }
      case "Fail" -> {
        for (String field : List.of("Error", "Cause")) {
          if (state.has(field) && !state.get(field).isTextual()) {
            problems.add("SCHEMA_VALIDATION_FAILED: " + field + " must be a string at " + at + "/" + field);
          }
        }
      }
      default -> {
      }
    }
  }

  private void positiveInteger(JsonNode holder, String field, String at, boolean jsonata) {
    JsonNode value = holder.get(field);
    if (value == null || jsonata && JsonataEvaluator.isExpression(value)) {
      return;
    }
    if (!value.isIntegralNumber() || value.asLong() <= 0) {
      problems.add("SCHEMA_VALIDATION_FAILED: " + field + " must be a positive integer at " + at + "/" + field);
    }
  }

  private static boolean supports(String type, String field) {
    if (COMMON_FIELDS.contains(field) || FIELDS_BY_TYPE.get(type).contains(field)) {
      return true;
    }
    boolean flows = !Set.of("Choice", "Succeed", "Fail").contains(type);
    boolean taskLike = Set.of("Task", "Parallel", "Map").contains(type);
    return flows && FLOW_FIELDS.contains(field) || taskLike && TASK_LIKE_FIELDS.contains(field)
        || "Map".equals(type) && "Parameters".equals(field);
  }

  private void transitions(String type, JsonNode state, JsonNode states, String at) {
    boolean terminal = "Succeed".equals(type) || "Fail".equals(type) || "Choice".equals(type);
    boolean hasNext = state.has("Next");
    boolean hasEnd = state.has("End");
    if (terminal) {
      if (hasNext || hasEnd) {
        problems.add("SCHEMA_VALIDATION_FAILED: A " + type + " state cannot have Next or End at " + at);
      }
      return;
    }
    if (hasNext == hasEnd) {
      problems.add(hasNext
          ? "SCHEMA_VALIDATION_FAILED: Only one of \"Next\" or \"End\" can be set at " + at
          : "SCHEMA_VALIDATION_FAILED: The field \"Next\" or \"End\" is required but was missing at " + at);
      return;
    }
    if (hasEnd && !state.get("End").asBoolean(false)) {
      problems.add("SCHEMA_VALIDATION_FAILED: End must be true when present at " + at + "/End");
    }
    if (hasNext) {
      target(state.get("Next"), states, at + "/Next");
    }
  }

  private void target(JsonNode next, JsonNode states, String at) {
    if (next == null || !next.isTextual()) {
      problems.add("SCHEMA_VALIDATION_FAILED: The field \"Next\" is required but was missing at " + at);
    } else if (!states.has(next.textValue())) {
      problems.add("MISSING_TRANSITION_TARGET: Missing 'Next' target: " + next.textValue() + " at " + at);
    }
  }

  private void choice(JsonNode state, JsonNode states, String at, boolean jsonata) {
    JsonNode choices = state.get("Choices");
    if (choices == null || !choices.isArray() || choices.isEmpty()) {
      problems.add("SCHEMA_VALIDATION_FAILED: The field \"Choices\" is required but was missing at " + at);
      return;
    }
    for (int i = 0; i < choices.size(); i++) {
      JsonNode rule = choices.get(i);
      String ruleAt = at + "/Choices[" + i + "]";
      target(rule.get("Next"), states, ruleAt + "/Next");
      if (jsonata) {
        JsonNode condition = rule.get("Condition");
        if (condition == null || !JsonataEvaluator.isExpression(condition)) {
          problems.add("SCHEMA_VALIDATION_FAILED: The field \"Condition\" must be a JSONata expression at "
              + ruleAt);
        } else {
          expression(condition.textValue(), ruleAt + "/Condition");
        }
      } else {
        rule(rule, ruleAt, true);
      }
    }
    if (state.has("Default")) {
      target(state.get("Default"), states, at + "/Default");
    }
  }

  private void rule(JsonNode rule, String at, boolean topLevel) {
    if (!rule.isObject()) {
      problems.add("SCHEMA_VALIDATION_FAILED: A choice rule must be an object at " + at);
      return;
    }
    if (!topLevel && rule.has("Next")) {
      problems.add("SCHEMA_VALIDATION_FAILED: Nested choice rules cannot have Next at " + at);
    }
    for (String combinator : List.of("And", "Or")) {
      if (rule.has(combinator)) {
        JsonNode inner = rule.get(combinator);
        if (!inner.isArray() || inner.isEmpty()) {
          problems.add("SCHEMA_VALIDATION_FAILED: " + combinator + " must be a non-empty array at " + at);
          return;
        }
        for (int i = 0; i < inner.size(); i++) {
          rule(inner.get(i), at + "/" + combinator + "[" + i + "]", false);
        }
        return;
      }
    }
    if (rule.has("Not")) {
      rule(rule.get("Not"), at + "/Not", false);
      return;
    }
    String operator = ChoiceRules.operatorOf(rule);
    JsonNode variable = rule.get("Variable");
    if (operator == null) {
      problems.add("SCHEMA_VALIDATION_FAILED: The choice rule has no comparison operator at " + at);
      return;
    }
    long operators = ChoiceRules.OPERATORS.stream().filter(rule::has).count();
    if (operators > 1) {
      problems.add("SCHEMA_VALIDATION_FAILED: A choice rule must have exactly one comparison operator at " + at);
    }
    if (variable == null || !variable.isTextual()) {
      problems.add("SCHEMA_VALIDATION_FAILED: The field \"Variable\" is required but was missing at " + at);
    } else {
      path(variable.textValue(), at + "/Variable");
    }
    JsonNode operand = rule.get(operator);
    if (operator.endsWith("Path")) {
      if (!operand.isTextual()) {
        problems.add("SCHEMA_VALIDATION_FAILED: " + operator + " must be a path at " + at + "/" + operator);
      } else {
        path(operand.textValue(), at + "/" + operator);
      }
    } else if (operator.startsWith("Is") || operator.equals("BooleanEquals")) {
      if (!operand.isBoolean()) {
        problems.add("SCHEMA_VALIDATION_FAILED: " + operator + " must be a boolean at " + at + "/" + operator);
      }
    } else if (operator.startsWith("Numeric")) {
      if (!operand.isNumber()) {
        problems.add("SCHEMA_VALIDATION_FAILED: " + operator + " must be a number at " + at + "/" + operator);
      }
    } else if (operator.startsWith("Timestamp")) {
      if (ChoiceRules.timestamp(operand) == null) {
        problems.add("SCHEMA_VALIDATION_FAILED: " + operator + " must be an ISO-8601 timestamp at " + at + "/"
            + operator);
      }
    } else if (!operand.isTextual()) {
      problems.add("SCHEMA_VALIDATION_FAILED: " + operator + " must be a string at " + at + "/" + operator);
    }
  }

  private void errorHandlers(JsonNode state, JsonNode states, String at) {
    for (String handler : List.of("Retry", "Catch")) {
      JsonNode clauses = state.get(handler);
      if (clauses == null) {
        continue;
      }
      if (!clauses.isArray()) {
        problems.add("SCHEMA_VALIDATION_FAILED: " + handler + " must be an array at " + at + "/" + handler);
        continue;
      }
      for (int i = 0; i < clauses.size(); i++) {
        JsonNode clause = clauses.get(i);
        String clauseAt = at + "/" + handler + "[" + i + "]";
        JsonNode errors = clause.get("ErrorEquals");
        if (errors == null || !errors.isArray() || errors.isEmpty()) {
          problems.add("SCHEMA_VALIDATION_FAILED: The field \"ErrorEquals\" is required but was missing at "
              + clauseAt);
          continue;
        }
        for (JsonNode error : errors) {
          if (!error.isTextual()) {
            problems.add("SCHEMA_VALIDATION_FAILED: ErrorEquals must hold error names (strings) at " + clauseAt);
          } else if (StatesError.ALL.equals(error.asText()) && (errors.size() > 1 || i != clauses.size() - 1)) {
            problems.add("SCHEMA_VALIDATION_FAILED: States.ALL must appear alone in the last " + handler
                + " clause at " + clauseAt);
          }
        }
        if ("Catch".equals(handler)) {
          target(clause.get("Next"), states, clauseAt + "/Next");
          if (clause.has("ResultPath") && !clause.get("ResultPath").isNull()
              && !JsonPaths.isReferencePath(clause.get("ResultPath").asText())) {
            problems.add("SCHEMA_VALIDATION_FAILED: Invalid ResultPath at " + clauseAt + "/ResultPath");
          }
        } else {
          if (clause.has("MaxAttempts") && (!clause.get("MaxAttempts").isIntegralNumber()
              || clause.get("MaxAttempts").asInt() < 0)) {
            problems.add("SCHEMA_VALIDATION_FAILED: MaxAttempts must be a non-negative integer at " + clauseAt);
          }
          if (clause.has("BackoffRate") && clause.get("BackoffRate").asDouble() < 1.0) {
            problems.add("SCHEMA_VALIDATION_FAILED: BackoffRate must be at least 1.0 at " + clauseAt);
          }
          if (clause.has("IntervalSeconds") && (!clause.get("IntervalSeconds").isIntegralNumber()
              || clause.get("IntervalSeconds").asInt() < 1)) {
            problems.add("SCHEMA_VALIDATION_FAILED: IntervalSeconds must be a positive integer at " + clauseAt);
          }
          String jitter = clause.path("JitterStrategy").asText("NONE");
          if (!Set.of("NONE", "FULL").contains(jitter)) {
            problems.add("SCHEMA_VALIDATION_FAILED: JitterStrategy must be FULL or NONE at " + clauseAt);
          }
        }
      }
    }
  }

  private void jsonPathFields(String type, JsonNode state, String at) {
    for (String field : List.of("InputPath", "OutputPath", "ItemsPath", "SecondsPath", "TimestampPath",
        "ErrorPath", "CausePath", "TimeoutSecondsPath", "HeartbeatSecondsPath")) {
      JsonNode value = state.get(field);
      if (value != null && !value.isNull()) {
        if (!value.isTextual()) {
          problems.add("SCHEMA_VALIDATION_FAILED: " + field + " must be a string at " + at + "/" + field);
        } else if (("ErrorPath".equals(field) || "CausePath".equals(field))
            && StatesIntrinsics.looksLikeCall(value.textValue())) {
          intrinsic(value.textValue(), at + "/" + field);
        } else {
          path(value.textValue(), at + "/" + field);
        }
      }
    }
    JsonNode resultPath = state.get("ResultPath");
    if (resultPath != null && !resultPath.isNull()
        && !(resultPath.isTextual() && JsonPaths.isReferencePath(resultPath.textValue()))) {
      problems.add("SCHEMA_VALIDATION_FAILED: The value for the field 'ResultPath' must be a valid "
          + "ReferencePath at " + at + "/ResultPath");
    }
    for (String field : List.of("Parameters", "ResultSelector", "ItemSelector")) {
      if (state.has(field)) {
        template(state.get(field), at + "/" + field);
      }
    }
  }

  private void template(JsonNode template, String at) {
    if (template.isObject()) {
      template.fields().forEachRemaining(entry -> {
        String key = entry.getKey();
        JsonNode value = entry.getValue();
        if (key.endsWith(".$")) {
          if (!value.isTextual()) {
            problems.add("SCHEMA_VALIDATION_FAILED: The value for the field '" + key
                + "' must be a STRING that contains a JSONPath but was " + value.getNodeType() + " at " + at);
          } else if (StatesIntrinsics.looksLikeCall(value.textValue())) {
            intrinsic(value.textValue(), at + "/" + key);
          } else if (!Payloads.isVariableReference(value.textValue())) {
            path(value.textValue(), at + "/" + key);
          }
        } else {
          template(value, at + "/" + key);
        }
      });
    } else if (template.isArray()) {
      for (int i = 0; i < template.size(); i++) {
        template(template.get(i), at + "[" + i + "]");
      }
    }
  }

  private void jsonataFields(JsonNode state, String at) {
    state.fields().forEachRemaining(entry -> {
      if (!Set.of("Type", "Comment", "Next", "End", "Choices", "Default", "Branches", "ItemProcessor",
          "Iterator", "Retry", "Catch").contains(entry.getKey())) {
        expressions(entry.getValue(), at + "/" + entry.getKey());
      }
    });
    JsonNode catchers = state.get("Catch");
    if (catchers != null && catchers.isArray()) {
      for (JsonNode catcher : catchers) {
        expressions(catcher.path("Output"), at + "/Catch/Output");
        expressions(catcher.path("Assign"), at + "/Catch/Assign");
      }
    }
  }

  private void expressions(JsonNode value, String at) {
    if (JsonataEvaluator.isExpression(value)) {
      expression(JsonataEvaluator.body(value.textValue()), at);
    } else if (value.isObject()) {
      value.fields().forEachRemaining(entry -> expressions(entry.getValue(), at + "/" + entry.getKey()));
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        expressions(value.get(i), at + "[" + i + "]");
      }
    }
  }

  private void expression(String expression, String at) {
    String body = JsonataEvaluator.isExpression(expression) ? JsonataEvaluator.body(expression) : expression;
    String error = JsonataEvaluator.compileError(body);
    if (error != null) {
      problems.add("SCHEMA_VALIDATION_FAILED: The JSONata expression '" + body + "' is invalid: " + error + " at "
          + at);
    }
  }

  private void path(String path, String at) {
    if (!Payloads.isVariableReference(path) && !JsonPaths.isValid(path)) {
      problems.add("SCHEMA_VALIDATION_FAILED: The value for the field '" + at.substring(at.lastIndexOf('/') + 1)
          + "' must be a valid JSONPath at " + at);
    }
  }

  private void intrinsic(String call, String at) {
    try {
      StatesIntrinsics.parse(call);
    } catch (IllegalArgumentException e) {
      problems.add("SCHEMA_VALIDATION_FAILED: The value for the field '" + at.substring(at.lastIndexOf('/') + 1)
          + "' must be a valid intrinsic function call (" + e.getMessage() + ") at " + at);
    }
  }

  private void reachability(JsonNode states, String startAt, String at) {
    Set<String> reached = new HashSet<>();
    Deque<String> pending = new ArrayDeque<>();
    pending.add(startAt);
    while (!pending.isEmpty()) {
      String name = pending.pop();
      JsonNode state = states.get(name);
      if (state == null || !reached.add(name)) {
        continue;
      }
      addTarget(state.get("Next"), pending);
      addTarget(state.get("Default"), pending);
      for (String list : List.of("Choices", "Catch")) {
        JsonNode clauses = state.get(list);
        if (clauses != null && clauses.isArray()) {
          clauses.forEach(clause -> addTarget(clause.get("Next"), pending));
        }
      }
    }
    states.fieldNames().forEachRemaining(name -> {
      if (!reached.contains(name)) {
        problems.add("MISSING_TRANSITION_TARGET: State \"" + name + "\" is not reachable. at " + at + "/States/"
            + name);
      }
    });
  }

  private static void addTarget(JsonNode next, Deque<String> pending) {
    if (next != null && next.isTextual()) {
      pending.add(next.textValue());
    }
  }

  private static String orRoot(String at) {
    return at.isEmpty() ? "/" : at;
  }
}
