package dev.boxoffice.backend.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes X-Ray trace headers ({@code X-Amzn-Trace-Id}), including the one an ALB sends when it is the first
 * hop: {@code Root=1-...} with no {@code Parent} (and often no {@code Sampled}). Such a request continues the ALB's
 * trace: its span gets a stand-in remote parent, marked in the trace state ({@link #ALB_ROOT}) so that
 * {@link AlbRootExporter} sends the span as the trace's root segment. Without a {@code Sampled} flag the decision is
 * ours ({@code startsHere}). Written here rather than taken from opentelemetry-java-contrib: its propagator drops
 * the ALB's header (its issue #2407) and its 1.52.0-alpha calls an internal method OpenTelemetry 1.68 no longer has.
 */
final class XrayTraceHeaderPropagator implements TextMapPropagator {

  /** Trace-state key of a stand-in parent; the spans under it inherit the trace state. */
  static final String ALB_ROOT = "boxoffice-alb-root";

  private final Sampler startsHere;
  private final IdGenerator ids;

  XrayTraceHeaderPropagator(Sampler startsHere, IdGenerator ids) {
    this.startsHere = startsHere;
    this.ids = ids;
  }

  @Override
  public Collection<String> fields() {
    return List.of(TraceHeaders.HTTP_HEADER);
  }

  @Override
  public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
    String header = TraceHeaders.of(context);
    if (header != null && setter != null) {
      setter.set(carrier, TraceHeaders.HTTP_HEADER, header);
    }
  }

  @Override
  public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
    String header = carrier == null ? null : getter.get(carrier, TraceHeaders.HTTP_HEADER);
    String root = TraceHeaders.root(header);
    if (root == null) {
      return context;
    }
    Map<String, String> fields = fields(header);
    String traceId = root.substring(2).replace("-", "").toLowerCase(Locale.ROOT);
    String parent = fields.getOrDefault("Parent", "").toLowerCase(Locale.ROOT);
    boolean sampled = switch (fields.getOrDefault("Sampled", "")) {
      case "1" -> true;
      case "0" -> false;
      default -> startsHere.shouldSample(Context.root(), traceId, "", SpanKind.SERVER, Attributes.empty(), List.of())
          .getDecision() == SamplingDecision.RECORD_AND_SAMPLE;
    };
    TraceFlags flags = sampled ? TraceFlags.getSampled() : TraceFlags.getDefault();
    SpanContext remote = SpanId.isValid(parent)
        ? SpanContext.createFromRemoteParent(traceId, parent, flags, TraceState.getDefault())
        : SpanContext.createFromRemoteParent(traceId, ids.generateSpanId(), flags,
            TraceState.builder().put(ALB_ROOT, "1").build());
    return remote.isValid() ? context.with(Span.wrap(remote)) : context;
  }

  private static Map<String, String> fields(String header) {
    Map<String, String> fields = new HashMap<>();
    for (String field : header.split(";")) {
      int equals = field.indexOf('=');
      if (equals > 0) {
        fields.putIfAbsent(field.substring(0, equals).trim(), field.substring(equals + 1).trim());
      }
    }
    return fields;
  }
}
