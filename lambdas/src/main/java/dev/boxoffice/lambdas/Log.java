package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * The functions' log lines: one JSON object per line on standard error, which Lambda sends to the function's log
 * group, so CloudWatch Logs Insights can filter on {@code level}, {@code function}, {@code requestId} (the invocation's
 * {@code awsRequestId}, also in Lambda's own START/END lines and X-Ray's trace) and {@code error} rather than parse
 * sentences. Never given a secret: callers log what failed, not what they held.
 */
final class Log {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String FUNCTION = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local");
  /** The invocation each thread serves: in AWS one at a time per runtime, locally several environments at once. */
  private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();

  private Log() {
  }

  /** Every handler calls this first: the lines and metrics that follow carry the invocation's request id. */
  static void invocation(Context context) {
    REQUEST_ID.set(context == null ? null : context.getAwsRequestId());
  }

  /** The request id of the invocation this thread serves, or null outside one. */
  static String requestId() {
    return REQUEST_ID.get();
  }

  static void info(String message) {
    write("INFO", message, null);
  }

  static void warn(String message, Throwable cause) {
    write("WARN", message, cause);
  }

  static void error(String message, Throwable cause) {
    write("ERROR", message, cause);
  }

  private static void write(String level, String message, Throwable cause) {
    System.err.println(line(level, message, cause, Instant.now()));
  }

  /** The JSON line of one entry; {@code error} names the cause's class and message, without a stack trace. */
  static String line(String level, String message, Throwable cause, Instant now) {
    ObjectNode line = JSON.createObjectNode()
        .put("timestamp", now.toString())
        .put("level", level)
        .put("function", FUNCTION)
        .put("requestId", requestId())
        .put("message", message);
    if (cause != null) {
      line.put("error", cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      return level + " " + message;
    }
  }
}
