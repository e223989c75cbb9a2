package dev.boxoffice.local.aws.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One condition of a statement: an operator, one key and the values of which one must match. A statement's conditions
 * must all hold. The operators the templates use are supported; any other fails when the policy is read, so a policy
 * is never half-understood.
 */
record PolicyCondition(String operator, boolean ifExists, String key, List<String> values) {

  private static final List<String> OPERATORS = List.of("StringEquals", "StringNotEquals", "StringEqualsIgnoreCase",
      "StringNotEqualsIgnoreCase", "StringLike", "StringNotLike", "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike",
      "Bool", "Null");

  /** The conditions of a statement's {@code Condition} block. */
  static List<PolicyCondition> parse(JsonNode block, String where) {
    List<PolicyCondition> conditions = new ArrayList<>();
    if (block == null || block.isMissingNode() || block.isNull()) {
      return conditions;
    }
    block.properties().forEach(operatorEntry -> {
      String operator = operatorEntry.getKey();
      boolean ifExists = operator.endsWith("IfExists");
      String base = ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
      if (!OPERATORS.contains(base)) {
        throw new IllegalArgumentException(where + ": the condition operator " + operator
            + " is not supported by the local IAM (supported: " + String.join(", ", OPERATORS) + ", with IfExists)");
      }
      operatorEntry.getValue().properties().forEach(keyEntry -> {
        List<String> values = new ArrayList<>();
        if (keyEntry.getValue().isArray()) {
          keyEntry.getValue().forEach(value -> values.add(value.asText()));
        } else {
          values.add(keyEntry.getValue().asText());
        }
        conditions.add(new PolicyCondition(base, ifExists, keyEntry.getKey().toLowerCase(Locale.ROOT), values));
      });
    });
    return conditions;
  }

  /** Whether the condition holds for the request's context keys (lower-case names, as keys are case-insensitive). */
  boolean holds(Map<String, String> context) {
    String actual = context.get(key);
    if (operator.equals("Null")) {
      boolean absent = actual == null;
      return values.stream().anyMatch(value -> Boolean.parseBoolean(value) == absent);
    }
    if (actual == null) {
      return ifExists || negated();
    }
    boolean anyMatches = values.stream().anyMatch(value -> compare(value, actual));
    return negated() ? !anyMatches : anyMatches;
  }

  private boolean negated() {
    return operator.contains("Not");
  }

  private boolean compare(String expected, String actual) {
    return switch (operator) {
      case "StringEquals", "StringNotEquals" -> expected.equals(actual);
      case "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase" -> expected.equalsIgnoreCase(actual);
      // IAM treats ArnEquals like ArnLike: both accept wildcards in the ARN
      case "StringLike", "StringNotLike", "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike" ->
          Wildcards.matches(expected, actual, false);
      case "Bool" -> expected.equalsIgnoreCase(actual);
      default -> throw new IllegalStateException("unhandled operator " + operator);
    };
  }
}
