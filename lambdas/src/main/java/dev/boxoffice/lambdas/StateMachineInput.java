package dev.boxoffice.lambdas;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.boxoffice.codecs.Json;
import java.util.Map;

/** Converts the JSON maps Step Functions passes to non-routed functions into codecs records, and records back. */
final class StateMachineInput {

  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
  };

  private StateMachineInput() {
  }

  static <T> T read(Map<String, Object> input, Class<T> type) {
    if (input == null) {
      throw new InvalidInputException("no input");
    }
    try {
      return Json.mapper().convertValue(input, type);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("input does not match " + type.getSimpleName() + ": "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  static Map<String, Object> asMap(Object value) {
    return Json.mapper().convertValue(value, MAP);
  }
}
