package dev.boxoffice.backend.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.config.Config;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A Vert.x HTTP server with the backend's tracing: the trace header a handler sees, with and without the ALB's. */
class TracingServerTest {

  @Test
  @DisplayName("a handler runs in the request's span: the ALB's trace continued, or a trace of its own")
  void handlerSeesTheRequestSpan() throws Exception {
    Tracing tracing = Tracing.start(Config.Tracing.unexported());
    Vertx vertx = Vertx.builder().withTracer(new OpenTelemetryTracingFactory(tracing.openTelemetry())).build();
    Vertx clientVertx = Vertx.vertx();
    try {
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setTracingPolicy(TracingPolicy.ALWAYS))
          .requestHandler(request -> request.response().end(String.valueOf(TraceHeaders.current())))
          .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      HttpClient client = clientVertx.createHttpClient();
      RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
          .setPort(server.actualPort()).setURI("/");
      String own = client.request(request).compose(sent -> sent.send().compose(r -> r.body()))
          .await(10, TimeUnit.SECONDS).toString();
      String continued = client.request(new RequestOptions(request)
              .putHeader("X-Amzn-Trace-Id", "Root=1-67891233-abcdef012345678912345678"))
          .compose(sent -> sent.send().compose(r -> r.body())).await(10, TimeUnit.SECONDS).toString();

      assertThat(continued).matches("Root=1-67891233-abcdef012345678912345678;Parent=[0-9a-f]{16};Sampled=1");
      assertThat(own).matches("Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1");
    } finally {
      clientVertx.close().await(10, TimeUnit.SECONDS);
      vertx.close().await(10, TimeUnit.SECONDS);
      tracing.close();
    }
  }
}
