package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The functions' log lines: one JSON object per line on standard error, which Lambda sends to the function's log
 * group, so CloudWatch Logs Insights can filter on {@code level}, {@code function}, {@code requestId} (the invocation's
 * {@code awsRequestId}, also in Lambda's own START/END lines and X-Ray's trace), {@code traceId} (the X-Ray trace the
 * invocation runs in: for a workflow's functions, the trace of the purchase that started it) and {@code error} rather
 * than parse sentences. Never given a secret: callers log what failed, not what they held.
 */
final class Log {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final String FUNCTION = System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "local");
  /** The invocation each thread serves: in AWS one at a time per runtime, locally several environments at once. */
  private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();
  private static final ThreadLocal<String> TRACE_ID = new ThreadLocal<>();
  /** Where AWS's Java runtime puts the invocation's trace header, for a context that does not name it. */
  private static final String RUNTIME_TRACE_PROPERTY = "com.amazonaws.xray.traceHeader";
  private static final Pattern ROOT = Pattern.compile("(?:^|;)\\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})\\s*(?:;|$)");

  private Log() {
  }

  /** Every handler calls this first: the lines and metrics that follow carry the invocation's request and trace ids. */
  static void invocation(Context context) {
    REQUEST_ID.set(context == null ? null : context.getAwsRequestId());
    TRACE_ID.set(context == null ? null : root(Optional.ofNullable(context.getXrayTraceId())
        .orElseGet(() -> System.getProperty(RUNTIME_TRACE_PROPERTY))));
  }

  /** The X-Ray trace id ({@code Root}) of the invocation this thread serves, or null outside a traced one. */
  static String traceId() {
    return TRACE_ID.get();
  }

  static String root(String traceHeader) {
    if (traceHeader == null) {
      return null;
    }
    Matcher root = ROOT.matcher(traceHeader);
    return root.find() ? root.group(1) : null;
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
        .put("traceId", traceId())
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
