package dev.boxoffice.local.aws.sns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An SNS subscription filter policy with AWS semantics: keys are ANDed, the values listed for a key are ORed, and
 * {@code $or} combines alternative policies. Match types: exact string/number/null, prefix, suffix,
 * equals-ignore-case, anything-but (values, prefix, suffix), numeric (=, ranges) and exists. A list value such as a
 * String.Array attribute or a JSON array in the body matches when any element does. The policy is validated on
 * construction with AWS limits (5 keys, 150 combinations).
 *
 * <p>Longer than most classes on purpose: parsing, validation against AWS's rules and matching of each operator sit
 * side by side, so an operator's three aspects are checked against the SNS documentation in one reading.
 */
final class FilterPolicy {

  static final String SCOPE_ATTRIBUTES = "MessageAttributes";
  static final String SCOPE_BODY = "MessageBody";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_KEYS = 5;
  private static final int MAX_COMBINATIONS = 150;
  private static final BigDecimal NUMBER_LIMIT = new BigDecimal("1E9");
  private static final Set<String> NUMERIC_OPERATORS = Set.of("=", "<", "<=", ">", ">=");

  private final JsonNode policy;
  private final String scope;

  private FilterPolicy(JsonNode policy, String scope) {
    this.policy = policy;
    this.scope = scope;
  }

  /** Parses and validates a policy; a bad one raises InvalidParameter with the reason, as AWS does. */
  static FilterPolicy parse(String policyJson, String scope) {
    if (!SCOPE_ATTRIBUTES.equals(scope) && !SCOPE_BODY.equals(scope)) {
      throw SnsException.invalidParameter("FilterPolicyScope: Invalid value [" + scope
          + "]. Please use either MessageBody or MessageAttributes");
    }
    JsonNode policy;
    try {
      policy = JSON.readTree(policyJson);
    } catch (JsonProcessingException e) {
      throw invalid("failed to parse JSON: " + e.getOriginalMessage());
    }
    if (policy == null || !policy.isObject()) {
      throw invalid("Filter policy must be a JSON object");
    }
    new Validator(SCOPE_BODY.equals(scope)).object(policy, true);
    if (keyCount(policy) > MAX_KEYS) {
      throw invalid("Filter policy can not have more than " + MAX_KEYS + " keys");
    }
    if (combinations(policy) > MAX_COMBINATIONS) {
      throw invalid("Filter policy is too complex");
    }
    return new FilterPolicy(policy, scope);
  }

  String scope() {
    return scope;
  }

  boolean matches(Map<String, MessageAttribute> attributes, String message) {
    JsonNode subject = SCOPE_BODY.equals(scope) ? body(message) : attributeDocument(attributes);
    return subject != null && matchesObject(policy, subject);
  }

  private static SnsException invalid(String reason) {
    return SnsException.invalidParameter("FilterPolicy: " + reason);
  }

  private static JsonNode body(String message) {
    try {
      JsonNode body = JSON.readTree(message);
      return body != null && body.isObject() ? body : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /**
   * Attributes seen as a JSON object: String as text, Number as a number, String.Array as an array. Binary
   * attributes are left out, as AWS does not filter on them.
   */
  private static JsonNode attributeDocument(Map<String, MessageAttribute> attributes) {
    ObjectNode document = JsonNodeFactory.instance.objectNode();
    attributes.forEach((name, attribute) -> {
      switch (attribute.baseType()) {
        case "String" -> document.put(name, attribute.value());
        case "Number" -> document.put(name, attribute.number());
        case "String.Array" -> document.set(name, attribute.array());
        default -> {
        }
      }
    });
    return document;
  }

  private static boolean matchesObject(JsonNode policy, JsonNode subject) {
    for (Map.Entry<String, JsonNode> rule : policy.properties()) {
      boolean matched;
      if (rule.getKey().equals("$or")) {
        matched = false;
        for (JsonNode alternative : rule.getValue()) {
          matched |= matchesObject(alternative, subject);
        }
      } else if (rule.getValue().isObject()) {
        JsonNode child = subject.path(rule.getKey());
        matched = matchesObject(rule.getValue(), child.isObject() ? child : MissingNode.getInstance());
      } else {
        matched = matchesKey(rule.getValue(), subject.get(rule.getKey()));
      }
      if (!matched) {
        return false;
      }
    }
    return true;
  }

  private static boolean matchesKey(JsonNode conditions, JsonNode value) {
    List<JsonNode> values = new ArrayList<>();
    if (value != null && value.isArray()) {
      value.forEach(values::add);
    } else if (value != null) {
      values.add(value);
    }
    for (JsonNode condition : conditions) {
      if (condition.isObject() && condition.has("exists")) {
        if (condition.get("exists").asBoolean() == (value != null)) {
          return true;
        }
      } else if (values.stream().anyMatch(candidate -> matchesCondition(condition, candidate))) {
        return true;
      }
    }
    return false;
  }

  private static boolean matchesCondition(JsonNode condition, JsonNode value) {
    if (!condition.isObject()) {
      return equalLiterals(condition, value);
    }
    Map.Entry<String, JsonNode> operator = condition.properties().iterator().next();
    JsonNode operand = operator.getValue();
    return switch (operator.getKey()) {
      case "prefix" -> value.isTextual() && value.asText().startsWith(operand.asText());
      case "suffix" -> value.isTextual() && value.asText().endsWith(operand.asText());
      case "equals-ignore-case" -> value.isTextual() && value.asText().equalsIgnoreCase(operand.asText());
      case "anything-but" -> anythingBut(operand, value);
      case "numeric" -> value.isNumber() && inRange(operand, value.decimalValue());
      default -> false;
    };
  }

  private static boolean anythingBut(JsonNode excluded, JsonNode value) {
    if (excluded.isObject()) {
      return !matchesCondition(excluded, value);
    }
    if (excluded.isArray()) {
      for (JsonNode each : excluded) {
        if (equalLiterals(each, value)) {
          return false;
        }
      }
      return true;
    }
    return !equalLiterals(excluded, value);
  }

  private static boolean equalLiterals(JsonNode literal, JsonNode value) {
    if (literal.isNumber()) {
      return value.isNumber() && literal.decimalValue().compareTo(value.decimalValue()) == 0;
    }
    if (literal.isTextual()) {
      return value.isTextual() && literal.asText().equals(value.asText());
    }
    if (literal.isNull()) {
      return value.isNull();
    }
    return literal.isBoolean() && value.isBoolean() && literal.asBoolean() == value.asBoolean();
  }

  private static boolean inRange(JsonNode range, BigDecimal number) {
    for (int index = 0; index < range.size(); index += 2) {
      int comparison = number.compareTo(range.get(index + 1).decimalValue());
      boolean holds = switch (range.get(index).asText()) {
        case "=" -> comparison == 0;
        case "<" -> comparison < 0;
        case "<=" -> comparison <= 0;
        case ">" -> comparison > 0;
        default -> comparison >= 0;
      };
      if (!holds) {
        return false;
      }
    }
    return true;
  }

  /** Leaf keys a message is checked against; of the {@code $or} alternatives the largest counts. */
  private static int keyCount(JsonNode policy) {
    int keys = 0;
    for (Map.Entry<String, JsonNode> rule : policy.properties()) {
      if (rule.getKey().equals("$or")) {
        int widest = 0;
        for (JsonNode alternative : rule.getValue()) {
          widest = Math.max(widest, keyCount(alternative));
        }
        keys += widest;
      } else {
        keys += rule.getValue().isObject() ? keyCount(rule.getValue()) : 1;
      }
    }
    return keys;
  }

  /** The number of value combinations: the product over keys of their value counts, {@code $or} alternatives summed. */
  private static long combinations(JsonNode policy) {
    long combinations = 1;
    for (Map.Entry<String, JsonNode> rule : policy.properties()) {
      long ofRule;
      if (rule.getKey().equals("$or")) {
        ofRule = 0;
        for (JsonNode alternative : rule.getValue()) {
          ofRule += combinations(alternative);
        }
      } else {
        ofRule = rule.getValue().isObject() ? combinations(rule.getValue()) : rule.getValue().size();
      }
      combinations = Math.min(combinations * ofRule, Integer.MAX_VALUE);
    }
    return combinations;
  }

  /** Rejects what AWS rejects, with its reasons. */
  private record Validator(boolean nestedAllowed) {

    void object(JsonNode policy, boolean topLevel) {
      if (policy.isEmpty() && !topLevel) {
        throw invalid("Empty objects are not allowed");
      }
      for (Map.Entry<String, JsonNode> rule : policy.properties()) {
        JsonNode value = rule.getValue();
        if (rule.getKey().equals("$or")) {
          alternatives(value);
        } else if (value.isObject()) {
          if (!nestedAllowed) {
            throw invalid("Filter policy scope MessageAttributes does not support nested filter policy");
          }
          object(value, false);
        } else if (value.isArray()) {
          conditions(rule.getKey(), value);
        } else {
          throw invalid("\"" + rule.getKey() + "\" must be an object or an array");
        }
      }
    }

    private void alternatives(JsonNode alternatives) {
      if (!alternatives.isArray() || alternatives.size() < 2) {
        throw invalid("$or must be an array of at least two filter policies");
      }
      for (JsonNode alternative : alternatives) {
        if (!alternative.isObject() || alternative.isEmpty()) {
          throw invalid("each $or alternative must be a non-empty JSON object");
        }
        object(alternative, false);
      }
    }

    private void conditions(String key, JsonNode conditions) {
      if (conditions.isEmpty()) {
        throw invalid("Empty arrays are not allowed (key \"" + key + "\")");
      }
      for (JsonNode condition : conditions) {
        if (condition.isObject()) {
          operator(condition);
        } else if (condition.isNumber()) {
          number(condition);
        } else if (!condition.isTextual() && !condition.isBoolean() && !condition.isNull()) {
          throw invalid("Match value must be String, number, true, false, or null");
        }
      }
    }

    private void operator(JsonNode condition) {
      if (condition.size() != 1) {
        throw invalid("A match condition must have exactly one match type");
      }
      Map.Entry<String, JsonNode> operator = condition.properties().iterator().next();
      JsonNode operand = operator.getValue();
      switch (operator.getKey()) {
        case "prefix", "suffix", "equals-ignore-case" -> {
          if (!operand.isTextual()) {
            throw invalid("Value of " + operator.getKey() + " must be a string");
          }
        }
        case "exists" -> {
          if (!operand.isBoolean()) {
            throw invalid("exists match pattern must be either true or false");
          }
        }
        case "numeric" -> numeric(operand);
        case "anything-but" -> anythingBut(operand);
        default -> throw invalid("Unrecognized match type " + operator.getKey());
      }
    }

    private void anythingBut(JsonNode operand) {
      if (operand.isObject()) {
        Map.Entry<String, JsonNode> inner = operand.size() == 1 ? operand.properties().iterator().next() : null;
        if (inner == null || !Set.of("prefix", "suffix", "equals-ignore-case").contains(inner.getKey())
            || !inner.getValue().isTextual()) {
          throw invalid("Value of anything-but must be an array or single string/number value, "
              + "or an object with one prefix, suffix or equals-ignore-case string");
        }
      } else if (operand.isArray()) {
        if (operand.isEmpty()) {
          throw invalid("Empty arrays are not allowed (anything-but)");
        }
        for (JsonNode excluded : operand) {
          if (excluded.isNumber()) {
            number(excluded);
          } else if (!excluded.isTextual()) {
            throw invalid("Inside anything-but list, start|null|boolean is not supported.");
          }
        }
      } else if (operand.isNumber()) {
        number(operand);
      } else if (!operand.isTextual()) {
        throw invalid("Value of anything-but must be an array or single string/number value");
      }
    }

    private void numeric(JsonNode range) {
      if (!range.isArray() || (range.size() != 2 && range.size() != 4)) {
        throw invalid("Value of numeric must be an array of one or two operator and number pairs");
      }
      for (int index = 0; index < range.size(); index += 2) {
        JsonNode operator = range.get(index);
        if (!operator.isTextual() || !NUMERIC_OPERATORS.contains(operator.asText())) {
          throw invalid("Unrecognized numeric range operator: " + operator);
        }
        if (!range.get(index + 1).isNumber()) {
          throw invalid("Value of " + operator.asText() + " must be numeric");
        }
        number(range.get(index + 1));
      }
      if (range.size() == 4) {
        String lower = range.get(0).asText();
        String upper = range.get(2).asText();
        if (!lower.startsWith(">") || !upper.startsWith("<")) {
          throw invalid("Bad numeric range operator: a range is a lower bound (> or >=) then an upper bound (< or <=)");
        }
        if (range.get(1).decimalValue().compareTo(range.get(3).decimalValue()) >= 0) {
          throw invalid("Bottom must be less than top");
        }
      }
    }

    private void number(JsonNode number) {
      if (number.decimalValue().abs().compareTo(NUMBER_LIMIT) > 0) {
        throw invalid("Value " + number + " must be a number from -1.0E9 to 1.0E9 inclusive");
      }
    }
  }
}
