package dev.boxoffice.lambdas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The functions' log lines: one JSON object per line on standard error, which Lambda sends to the function's log
 * group, so CloudWatch Logs Insights can filter on {@code level}, {@code function} and {@code error} rather than parse
 * sentences. Never given a secret: callers log what failed, not what they held.
 */
final class Log {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FUNCTION = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local");

  private Log() {
  }

  static void warn(String message, Throwable cause) {
    write("WARN", message, cause);
  }

  static void error(String message, Throwable cause) {
    write("ERROR", message, cause);
  }

  private static void write(String level, String message, Throwable cause) {
    ObjectNode line = JSON.createObjectNode()
        .put("timestamp", Instant.now().toString())
        .put("level", level)
        .put("function", FUNCTION)
        .put("message", message);
    if (cause != null) {
      line.put("error", cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
    try {
      System.err.println(JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      System.err.println(level + " " + message);
    }
  }
}
