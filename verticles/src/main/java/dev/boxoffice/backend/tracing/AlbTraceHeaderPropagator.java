package dev.boxoffice.backend.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.contrib.awsxray.propagator.AwsXrayPropagator;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.Collection;
import java.util.List;

/**
 * The X-Ray propagator, plus the header an ALB sends when it is the first hop: {@code Root=1-...} with no
 * {@code Parent} (and often no {@code Sampled}), which opentelemetry-java-contrib's propagator drops, starting a new
 * trace (its issue #2407). Such a request continues the ALB's trace: its span gets a stand-in remote parent, marked in
 * the trace state ({@link #ALB_ROOT}) so the exporter sends the span as the trace's root segment, and the sampling
 * decision is ours when the header makes none.
 */
final class AlbTraceHeaderPropagator implements TextMapPropagator {

  /** Trace-state key of a stand-in parent; the spans under it inherit the trace state. */
  static final String ALB_ROOT = "boxoffice-alb-root";

  private static final TextMapPropagator XRAY = AwsXrayPropagator.getInstance();

  private final Sampler rootSampler;
  private final IdGenerator ids;

  AlbTraceHeaderPropagator(Sampler rootSampler, IdGenerator ids) {
    this.rootSampler = rootSampler;
    this.ids = ids;
  }

  @Override
  public Collection<String> fields() {
    return XRAY.fields();
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    XRAY.inject(context, carrier, setter);
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    String header = carrier == null ? null : getter.get(carrier, TraceHeaders.HTTP_HEADER);
    String root = TraceHeaders.root(header);
    if (root == null || header.contains("Parent=")) {
      return XRAY.extract(context, carrier, getter);
    }
    String traceId = root.substring(2).replace("-", "");
    SpanContext standIn = SpanContext.createFromRemoteParent(traceId, ids.generateSpanId(),
        sampled(header, traceId) ? TraceFlags.getSampled() : TraceFlags.getDefault(),
        TraceState.builder().put(ALB_ROOT, "1").build());
    return context.with(Span.wrap(standIn));
  }

  private boolean sampled(String header, String traceId) {
    if (header.matches(".*(^|;)\\s*Sampled=1\\s*(;.*|$)")) {
      return true;
    }
    if (header.matches(".*(^|;)\\s*Sampled=0\\s*(;.*|$)")) {
      return false;
    }
    return rootSampler.shouldSample(Context.root(), traceId, "", SpanKind.SERVER, Attributes.empty(), List.of())
        .getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
  }
}
