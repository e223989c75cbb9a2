package dev.boxoffice.backend.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * X-Ray trace headers ({@code Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1}), the form
 * in which a trace crosses AWS services: the ALB hands one to the backend, the backend hands one to Step Functions'
 * StartExecution, Step Functions hands one to each Lambda it invokes.
 */
public final class TraceHeaders {

  /** The HTTP header of the ALB, API Gateway and Lambda's runtime API. */
  public static final String HTTP_HEADER = "X-Amzn-Trace-Id";
  /** Step Functions' limit on StartExecution's {@code traceHeader}, which the outbox column keeps too. */
  public static final int MAX_LENGTH = 256;

  private static final Pattern ROOT =
      Pattern.compile("(?:^|;)\\s*Root=(1-[0-9a-fA-F]{8}-[0-9a-fA-F]{24})\\s*(?:;|$)");

  private TraceHeaders() {
  }

  /**
   * The trace header of the span the caller runs in (on Vert.x, the span of the HTTP request the caller's context
   * serves), naming that span as the parent; null outside any trace.
   */
  public static String current() {
    return of(Context.current());
  }

  /** The header naming the span of {@code context} as the parent (X-Ray's form of its ids); null without a span. */
  static String of(Context context) {
    SpanContext span = Span.fromContext(context).getSpanContext();
    if (!span.isValid()) {
      return null;
    }
    String traceId = span.getTraceId();
    return "Root=1-" + traceId.substring(0, 8) + "-" + traceId.substring(8) + ";Parent=" + span.getSpanId()
        + ";Sampled=" + (span.isSampled() ? "1" : "0");
  }

  /** The {@code Root} (the X-Ray trace id) of {@code header}, or null when it names none. */
  public static String root(String header) {
    if (header == null) {
      return null;
    }
    Matcher root = ROOT.matcher(header);
    return root.find() ? root.group(1) : null;
  }
}
