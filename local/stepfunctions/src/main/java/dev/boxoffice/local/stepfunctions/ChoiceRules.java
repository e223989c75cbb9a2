package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.jayway.jsonpath.PathNotFoundException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The JSONPath Choice rules: the comparison operators, And, Or and Not. */
final class ChoiceRules {

  static final Set<String> OPERATORS = Set.of(
      "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals",
      "StringMatches", "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals",
      "NumericGreaterThanEquals", "BooleanEquals", "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan",
      "TimestampLessThanEquals", "TimestampGreaterThanEquals", "IsNull", "IsPresent", "IsNumeric", "IsString",
      "IsBoolean", "IsTimestamp",
      "StringEqualsPath", "StringLessThanPath", "StringGreaterThanPath", "StringLessThanEqualsPath",
      "StringGreaterThanEqualsPath", "NumericEqualsPath", "NumericLessThanPath", "NumericGreaterThanPath",
      "NumericLessThanEqualsPath", "NumericGreaterThanEqualsPath", "BooleanEqualsPath", "TimestampEqualsPath",
      "TimestampLessThanPath", "TimestampGreaterThanPath", "TimestampLessThanEqualsPath",
      "TimestampGreaterThanEqualsPath");

  private ChoiceRules() {
  }

  /** The single comparison operator of a rule, or null if it has none. */
  static String operatorOf(JsonNode rule) {
    for (String operator : OPERATORS) {
      if (rule.has(operator)) {
        return operator;
      }
    }
    return null;
  }

  static boolean matches(JsonNode rule, JsonNode input, JsonNode context, Map<String, JsonNode> variables,
      Payloads.Site site) {
    if (rule.has("And")) {
      for (JsonNode inner : rule.get("And")) {
        if (!matches(inner, input, context, variables, site)) {
          return false;
        }
      }
      return true;
    }
    if (rule.has("Or")) {
      for (JsonNode inner : rule.get("Or")) {
        if (matches(inner, input, context, variables, site)) {
          return true;
        }
      }
      return false;
    }
    if (rule.has("Not")) {
      return !matches(rule.get("Not"), input, context, variables, site);
    }
    String operator = operatorOf(rule);
    String variablePath = rule.get("Variable").textValue();
    if ("IsPresent".equals(operator)) {
      boolean present = Payloads.isVariableReference(variablePath)
          ? variables.containsKey(variablePath.substring(1))
          : JsonPaths.exists(variablePath, input, context);
      return present == rule.get(operator).asBoolean();
    }
    JsonNode value = read(variablePath, input, context, variables, site);
    JsonNode expected = rule.get(operator);
    String comparison = operator;
    if (operator.endsWith("Path")) {
      comparison = operator.substring(0, operator.length() - 4);
      expected = read(expected.textValue(), input, context, variables, site);
    }
    return compare(comparison, value, expected);
  }

  private static JsonNode read(String path, JsonNode input, JsonNode context, Map<String, JsonNode> variables,
      Payloads.Site site) {
    try {
      return Payloads.resolveDynamic(path, "Variable", input, context, variables, site);
    } catch (PathNotFoundException e) {
      throw site.runtime("Invalid path '" + path + "': The choice state's condition path references an invalid "
          + "value.");
    } catch (StatesError e) {
      if (StatesError.RUNTIME.equals(e.error())) {
        throw site.runtime("Invalid path '" + path + "': The choice state's condition path references an invalid "
            + "value.");
      }
      throw e;
    }
  }

  private static boolean compare(String operator, JsonNode value, JsonNode expected) {
    return switch (operator) {
      case "IsNull" -> value.isNull() == expected.asBoolean();
      case "IsNumeric" -> value.isNumber() == expected.asBoolean();
      case "IsString" -> value.isTextual() == expected.asBoolean();
      case "IsBoolean" -> value.isBoolean() == expected.asBoolean();
      case "IsTimestamp" -> (timestamp(value) != null) == expected.asBoolean();
      case "BooleanEquals" -> value.isBoolean() && expected.isBoolean()
          && value.booleanValue() == expected.booleanValue();
      case "StringMatches" -> value.isTextual() && expected.isTextual()
          && wildcardMatches(expected.textValue(), value.textValue());
      default -> {
        if (operator.startsWith("String")) {
          yield value.isTextual() && expected.isTextual()
              && ordered(operator.substring(6), value.textValue().compareTo(expected.textValue()));
        }
        if (operator.startsWith("Numeric")) {
          yield value.isNumber() && expected.isNumber()
              && ordered(operator.substring(7), value.decimalValue().compareTo(expected.decimalValue()));
        }
        if (operator.startsWith("Timestamp")) {
          OffsetDateTime actual = timestamp(value);
          OffsetDateTime wanted = timestamp(expected);
          yield actual != null && wanted != null
              && ordered(operator.substring(9), actual.toInstant().compareTo(wanted.toInstant()));
        }
        throw new IllegalStateException("unknown operator " + operator);
      }
    };
  }

  private static boolean ordered(String relation, int comparison) {
    return switch (relation) {
      case "Equals" -> comparison == 0;
      case "LessThan" -> comparison < 0;
      case "GreaterThan" -> comparison > 0;
      case "LessThanEquals" -> comparison <= 0;
      case "GreaterThanEquals" -> comparison >= 0;
      default -> throw new IllegalStateException("unknown relation " + relation);
    };
  }

  static OffsetDateTime timestamp(JsonNode value) {
    if (!value.isTextual()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.textValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** ASL's StringMatches: {@code *} matches any run of characters, {@code \*} and {@code \\} are literal. */
  static boolean wildcardMatches(String pattern, String text) {
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length()) {
        regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
      } else if (c == '*') {
        regex.append(".*");
      } else {
        regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return text.matches("(?s)" + regex);
  }
}
