package dev.boxoffice.backend.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The X-Ray headers the backend reads from the ALB and writes for Step Functions, and its trace ids. */
class TraceHeadersTest {

  private static final String ROOT = "1-67891233-abcdef012345678912345678";
  private static final TextMapGetter<Map<String, String>> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final XrayIdGenerator ids = new XrayIdGenerator(Clock.systemUTC());

  private SpanContext extracted(Sampler startsHere, String header) {
    return Span.fromContext(new XrayTraceHeaderPropagator(startsHere, ids)
        .extract(Context.root(), Map.of(TraceHeaders.HTTP_HEADER, header), HEADERS)).getSpanContext();
  }

  @Test
  @DisplayName("the ALB's first-hop header (a Root, no Parent) is continued, sampled as it says or as we decide")
  void albHeaderIsContinued() {
    SpanContext alb = extracted(Sampler.alwaysOn(), "Root=" + ROOT);
    assertThat(alb.isValid()).isTrue();
    assertThat(alb.isRemote()).isTrue();
    assertThat(alb.getTraceId()).isEqualTo("67891233abcdef012345678912345678");
    assertThat(alb.isSampled()).isTrue();
    assertThat(alb.getTraceState().get(XrayTraceHeaderPropagator.ALB_ROOT)).isNotNull();

    assertThat(extracted(Sampler.alwaysOff(), "Root=" + ROOT).isSampled()).as("our ratio decides").isFalse();
    assertThat(extracted(Sampler.alwaysOff(), "Root=" + ROOT + ";Sampled=1").isSampled()).isTrue();
    assertThat(extracted(Sampler.alwaysOn(), "Self=1-67891234-0123456789abcdef01234567;Root=" + ROOT + ";Sampled=0")
        .isSampled()).isFalse();
  }

  @Test
  @DisplayName("a full header keeps its parent and decision; a header without a Root continues nothing")
  void fullAndBrokenHeaders() {
    SpanContext upstream = extracted(Sampler.alwaysOff(), "Root=" + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1");
    assertThat(upstream.getSpanId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(upstream.isSampled()).isTrue();
    assertThat(upstream.getTraceState().get(XrayTraceHeaderPropagator.ALB_ROOT)).isNull();

    assertThat(extracted(Sampler.alwaysOn(), "Root=not-a-trace-id").isValid()).isFalse();
    assertThat(extracted(Sampler.alwaysOn(), "Sampled=1").isValid()).isFalse();
  }

  @Test
  @DisplayName("the header handed to Step Functions names the span as Parent and the decision, within 256 characters")
  void headerOfASpan() {
    SpanContext sampled = SpanContext.create("67891233abcdef012345678912345678", "53995c3f42cd8ad8",
        TraceFlags.getSampled(), TraceState.getDefault());
    String header = TraceHeaders.of(Context.root().with(Span.wrap(sampled)));
    assertThat(header).isEqualTo("Root=" + ROOT + ";Parent=53995c3f42cd8ad8;Sampled=1");
    assertThat(header.length()).isLessThanOrEqualTo(TraceHeaders.MAX_LENGTH);
    assertThat(TraceHeaders.root(header)).isEqualTo(ROOT);

    SpanContext unsampled = SpanContext.create("67891233abcdef012345678912345678", "53995c3f42cd8ad8",
        TraceFlags.getDefault(), TraceState.getDefault());
    assertThat(TraceHeaders.of(Context.root().with(Span.wrap(unsampled)))).endsWith(";Sampled=0");
    assertThat(TraceHeaders.of(Context.root())).as("outside a trace").isNull();
    assertThat(TraceHeaders.root("Parent=53995c3f42cd8ad8")).isNull();
  }

  @Test
  @DisplayName("trace ids start with the current epoch second, as X-Ray requires, and are otherwise random")
  void xrayTraceIds() {
    Instant now = Instant.parse("2026-12-06T20:00:00Z");
    XrayIdGenerator fixed = new XrayIdGenerator(Clock.fixed(now, ZoneOffset.UTC));
    String first = fixed.generateTraceId();
    String second = fixed.generateTraceId();
    assertThat(first).hasSize(32).startsWith(Long.toHexString(now.getEpochSecond()));
    assertThat(second.substring(8)).isNotEqualTo(first.substring(8));
  }

  @Test
  @DisplayName("a span under the ALB's stand-in parent is exported as the root of the ALB's trace; others keep theirs")
  void albRootIsExportedAsRoot() {
    List<SpanData> exported = new CopyOnWriteArrayList<>();
    SpanExporter capture = new SpanExporter() {
      @Override
      public CompletableResultCode export(Collection<SpanData> spans) {
        exported.addAll(spans);
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode flush() {
        return CompletableResultCode.ofSuccess();
      }

      @Override
      public CompletableResultCode shutdown() {
        return CompletableResultCode.ofSuccess();
      }
    };
    try (SdkTracerProvider provider = SdkTracerProvider.builder().setIdGenerator(ids)
        .addSpanProcessor(SimpleSpanProcessor.create(new AlbRootExporter(capture))).build()) {
      var tracer = provider.get("test");
      Context fromAlb = new XrayTraceHeaderPropagator(Sampler.alwaysOn(), ids)
          .extract(Context.root(), Map.of(TraceHeaders.HTTP_HEADER, "Root=" + ROOT), HEADERS);
      Span request = tracer.spanBuilder("POST").setSpanKind(SpanKind.SERVER).setParent(fromAlb).startSpan();
      Span query = tracer.spanBuilder("SELECT").setParent(Context.root().with(request)).startSpan();
      query.end();
      request.end();
    }

    SpanData request = exported.stream().filter(span -> span.getName().equals("POST")).findFirst().orElseThrow();
    SpanData query = exported.stream().filter(span -> span.getName().equals("SELECT")).findFirst().orElseThrow();
    assertThat(request.getTraceId()).isEqualTo("67891233abcdef012345678912345678");
    assertThat(request.getParentSpanContext().isValid()).isFalse();
    assertThat(query.getParentSpanId()).isEqualTo(request.getSpanId());
  }
}
