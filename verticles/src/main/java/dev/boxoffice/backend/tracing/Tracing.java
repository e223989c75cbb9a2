package dev.boxoffice.backend.tracing;

import dev.boxoffice.backend.config.Config;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The backend's OpenTelemetry: X-Ray trace ids and headers, the ratio of {@link Config.Tracing} for traces that start
 * here, and spans exported over OTLP/HTTP to the ADOT collector beside the ECS task (which sends them to X-Ray) only
 * when an endpoint is configured. Vert.x makes the spans, through {@code vertx-opentelemetry}: one per HTTP request,
 * and under it one per PostgreSQL query and Redis command. Not registered globally: the tests run several backends in
 * one JVM.
 */
public final class Tracing implements AutoCloseable {

  private static final String SERVICE_NAME = "boxoffice-backend";

  private final OpenTelemetrySdk sdk;

  private Tracing(OpenTelemetrySdk sdk) {
    this.sdk = sdk;
  }

  public static Tracing start(Config.Tracing settings) {
    XrayIdGenerator ids = new XrayIdGenerator(Clock.systemUTC());
    Sampler startsHere = Sampler.traceIdRatioBased(settings.sampleRatio());
    SdkTracerProviderBuilder tracer = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), SERVICE_NAME))))
        .setIdGenerator(ids)
        .setSampler(Sampler.parentBased(startsHere));
    // Without any span processor the SDK makes no span of its own and only passes the caller's on, so a request the
    // ALB sends without a trace would hand Step Functions none: unexported spans still get a processor.
    tracer.addSpanProcessor(settings.otlpEndpoint()
        .<SpanProcessor>map(endpoint -> BatchSpanProcessor.builder(
            new AlbRootExporter(OtlpHttpSpanExporter.builder().setEndpoint(tracesUrl(endpoint)).build())).build())
        .orElseGet(() -> SimpleSpanProcessor.create(SpanExporter.composite())));
    return new Tracing(OpenTelemetrySdk.builder()
        .setTracerProvider(tracer.build())
        .setPropagators(ContextPropagators.create(new XrayTraceHeaderPropagator(startsHere, ids)))
        .build());
  }

  /** OTLP/HTTP's traces path under the base endpoint, as the SDK's own configuration reads OTEL_EXPORTER_OTLP_ENDPOINT. */
  static String tracesUrl(URI endpoint) {
    String base = endpoint.toString();
    return base + (base.endsWith("/") ? "" : "/") + "v1/traces";
  }

  public OpenTelemetry openTelemetry() {
    return sdk;
  }

  /** Exports the spans still buffered and stops; waits at most 5 seconds for the collector. */
  @Override
  public void close() {
    sdk.getSdkTracerProvider().shutdown().join(5, TimeUnit.SECONDS);
  }
}
