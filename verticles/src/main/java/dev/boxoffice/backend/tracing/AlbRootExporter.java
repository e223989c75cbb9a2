package dev.boxoffice.backend.tracing;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;

/**
 * Exports a span whose parent is {@link XrayTraceHeaderPropagator}'s stand-in without that parent, so X-Ray shows it
 * as the root segment of the ALB's trace rather than as a segment whose parent never arrives.
 */
final class AlbRootExporter implements SpanExporter {

  private final SpanExporter next;

  AlbRootExporter(SpanExporter next) {
    this.next = next;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    return next.export(spans.stream().map(AlbRootExporter::withoutStandInParent).toList());
  }

  static SpanData withoutStandInParent(SpanData span) {
    SpanContext parent = span.getParentSpanContext();
    if (!parent.isRemote() || parent.getTraceState().get(XrayTraceHeaderPropagator.ALB_ROOT) == null) {
      return span;
    }
    return new DelegatingSpanData(span) {
      @Override
      public SpanContext getParentSpanContext() {
        return SpanContext.getInvalid();
      }
    };
  }

  @Override
  public CompletableResultCode flush() {
    return next.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return next.shutdown();
  }
}
