package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/** Comparisons and renderings of JSON values the way Step Functions (a Java service) does them. */
final class Values {

  private Values() {
  }

  /** JSON equality with numbers compared by value, so 1 and 1.0 are equal. */
  static boolean jsonEquals(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!jsonEquals(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) {
        return false;
      }
      Iterator<Map.Entry<String, JsonNode>> fields = a.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode other = b.get(field.getKey());
        if (other == null || !jsonEquals(field.getValue(), other)) {
          return false;
        }
      }
      return true;
    }
    return a.equals(b);
  }

  /** Text of a value as Java's {@code Map.toString()} would print it: what States.Format shows for objects. */
  static String javaText(JsonNode value) {
    if (value.isTextual()) {
      return value.textValue();
    }
    if (value.isObject()) {
      StringBuilder text = new StringBuilder("{");
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        text.append(field.getKey()).append('=').append(javaText(field.getValue()));
        if (fields.hasNext()) {
          text.append(", ");
        }
      }
      return text.append('}').toString();
    }
    if (value.isArray()) {
      StringBuilder text = new StringBuilder("[");
      for (int i = 0; i < value.size(); i++) {
        if (i > 0) {
          text.append(", ");
        }
        text.append(javaText(value.get(i)));
      }
      return text.append(']').toString();
    }
    return value.asText();
  }
}
