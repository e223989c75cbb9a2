package dev.boxoffice.lambdas;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * What the functions count for the business, as CloudWatch embedded metric format: one JSON line on standard output
 * per event, which CloudWatch Logs turns into a metric of the {@value #NAMESPACE} namespace (no API call, no agent, no
 * dependency) and keeps as a log line with the invocation's request id and X-Ray trace id. The metrics have no dimension: each is counted
 * by one function only.
 */
final class BusinessMetrics {

  static final String NAMESPACE = "Boxoffice";
  /** A sign-in code /send-otp published to the email bus. */
  static final String SIGN_IN_CODES_SENT = "SignInCodesSent";
  /** A code /verify-otp accepted, answered with a session. */
  static final String SIGN_INS = "SignIns";
  /**
   * The QR codes create-ticket stored, one line per chunk; a retried chunk stores its codes again (the same bytes) and
   * counts them again, so the metric is an upper bound of the tickets issued.
   */
  static final String QR_CODES_ISSUED = "QrCodesIssued";

  private static final ObjectMapper JSON = new ObjectMapper();

  private BusinessMetrics() {
  }

  /** Counts one {@code metric}. */
  static void count(String metric) {
    count(metric, 1);
  }

  /** Counts {@code value} of {@code metric} in one line. */
  static void count(String metric, long value) {
    System.out.println(line(metric, value, Instant.now()));
  }

  /** The EMF line that counts {@code value} of {@code metric} at {@code now}. */
  static String line(String metric, long value, Instant now) {
    ObjectNode line = JSON.createObjectNode();
    ObjectNode directive = line.putObject("_aws").put("Timestamp", now.toEpochMilli())
        .putArray("CloudWatchMetrics").addObject().put("Namespace", NAMESPACE);
    directive.putArray("Dimensions").addArray();
    directive.putArray("Metrics").addObject().put("Name", metric).put("Unit", "Count");
    line.put(metric, value)
        .put("function", Log.FUNCTION)
        .put("requestId", Log.requestId())
        .put("traceId", Log.traceId());
    try {
      return JSON.writeValueAsString(line);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an EMF line of plain values did not serialize", e);
    }
  }
}
