package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.PathNotFoundException;
import java.util.Iterator;
import java.util.Map;

/**
 * Payload templates: JSONPath ones (Parameters, ResultSelector, ItemSelector with {@code .$} keys) and JSONata
 * ones (Arguments, Output, Assign with {@code {% %}} strings).
 */
final class Payloads {

  private Payloads() {
  }

  /** Where a template is evaluated, for error messages that name the state as AWS does. */
  record Site(String stateName, long enteredEventId) {
    String prefix() {
      return "An error occurred while executing the state '" + stateName + "' (entered at the event id #"
          + enteredEventId + "). ";
    }

    StatesError runtime(String message) {
      return new StatesError(StatesError.RUNTIME, prefix() + message);
    }
  }

  static JsonNode applyJsonPathTemplate(JsonNode template, JsonNode input, JsonNode context,
      Map<String, JsonNode> variables, Site site) {
    if (template.isObject()) {
      ObjectNode result = Json.object();
      Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String key = field.getKey();
        JsonNode value = field.getValue();
        if (key.endsWith(".$") && value.isTextual()) {
          result.set(key.substring(0, key.length() - 2),
              resolveDynamic(value.textValue(), key, input, context, variables, site));
        } else {
          result.set(key, applyJsonPathTemplate(value, input, context, variables, site));
        }
      }
      return result;
    }
    if (template.isArray()) {
      ArrayNode result = Json.NODES.arrayNode();
      for (JsonNode element : template) {
        result.add(applyJsonPathTemplate(element, input, context, variables, site));
      }
      return result;
    }
    return template;
  }

  /** The value of a {@code .$} field, an {@code ErrorPath} or the like: a path, a variable or an intrinsic call. */
  static JsonNode resolveDynamic(String expression, String field, JsonNode input, JsonNode context,
      Map<String, JsonNode> variables, Site site) {
    if (StatesIntrinsics.looksLikeCall(expression)) {
      return StatesIntrinsics.evaluate(expression, new StatesIntrinsics.Sources(input, context, variables, site));
    }
    try {
      if (isVariableReference(expression)) {
        return readVariable(expression, variables, site);
      }
      return JsonPaths.read(expression, input, context);
    } catch (PathNotFoundException e) {
      throw site.runtime("The JSONPath '" + expression + "' specified for the field '" + field
          + "' could not be found in the input '" + Json.write(input) + "'");
    }
  }

  static boolean isVariableReference(String expression) {
    return expression.length() > 1 && expression.charAt(0) == '$'
        && (Character.isLetter(expression.charAt(1)) || expression.charAt(1) == '_');
  }

  /** The value of {@code $name} or of a path below it ({@code $name.field[0]}). */
  static JsonNode readVariable(String expression, Map<String, JsonNode> variables, Site site) {
    int end = 1;
    while (end < expression.length() && expression.charAt(end) != '.' && expression.charAt(end) != '[') {
      end++;
    }
    String name = expression.substring(1, end);
    JsonNode value = variables.get(name);
    if (value == null) {
      throw site.runtime("The variable '$" + name + "' is not defined.");
    }
    return end == expression.length() ? value : JsonPaths.read("$" + expression.substring(end), value, value);
  }

  /** Evaluates every {@code {% %}} string inside a JSONata template; other values stay as they are. */
  static JsonNode evaluateJsonata(JsonNode template, JsonNode states, Map<String, JsonNode> variables, Site site,
      String field) {
    if (JsonataEvaluator.isExpression(template)) {
      return JsonataEvaluator.evaluate(JsonataEvaluator.body(template.textValue()), states, variables,
          site.stateName(), site.enteredEventId(), field);
    }
    if (template.isObject()) {
      ObjectNode result = Json.object();
      Iterator<Map.Entry<String, JsonNode>> fields = template.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> entry = fields.next();
        result.set(entry.getKey(),
            evaluateJsonata(entry.getValue(), states, variables, site, field + "/" + entry.getKey()));
      }
      return result;
    }
    if (template.isArray()) {
      ArrayNode result = Json.NODES.arrayNode();
      int index = 0;
      for (JsonNode element : template) {
        result.add(evaluateJsonata(element, states, variables, site, field + "/" + index++));
      }
      return result;
    }
    return template;
  }
}
