package dev.boxoffice.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.servers.LocalRedis;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HealthTest {

  private static LocalRedis redis;
  private static Boxoffice app;
  private static Vertx clientVertx;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    redis = TestServers.newRedis();
    app = Boxoffice.start(TestServers.config(Files.createTempDirectory("static"), redis));
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx, new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(app.config().httpPort()));
  }

  @AfterAll
  static void stop() throws Exception {
    clientVertx.close().await();
    app.close();
    redis.close();
  }

  @Test
  @DisplayName("liveness answers 200 whatever the dependencies do")
  void live() throws Exception {
    HttpResponse<Buffer> response = get("/health/live");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("UP");
  }

  @Test
  @DisplayName("readiness goes 503 when Redis stops and back to 200 when it restarts")
  void readinessFollowsRedis() throws Exception {
    assertThat(readiness()).isEqualTo(new JsonObject()
        .put("status", "UP").put("checks", new JsonObject().put("postgres", "UP").put("redis", "UP")));

    redis.stop();
    HttpResponse<Buffer> down = get("/health/ready");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.bodyAsJsonObject().getJsonObject("checks").getString("redis")).isEqualTo("DOWN");
    assertThat(down.bodyAsJsonObject().getJsonObject("checks").getString("postgres")).isEqualTo("UP");

    redis.start();
    assertThat(awaitStatus(200, 10_000).bodyAsJsonObject().getString("status")).isEqualTo("UP");
  }

  @Test
  @DisplayName("metrics are exposed in the Prometheus text format, HTTP server counters included")
  void metrics() throws Exception {
    get("/health/live");

    HttpResponse<Buffer> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).contains("vertx_http_server_requests_total").contains("jvm_memory_used_bytes");
  }

  private JsonObject readiness() throws Exception {
    HttpResponse<Buffer> response = get("/health/ready");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private HttpResponse<Buffer> awaitStatus(int status, long timeoutMs) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMs;
    HttpResponse<Buffer> response = get("/health/ready");
    while (response.statusCode() != status && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      response = get("/health/ready");
    }
    return response;
  }

  private static HttpResponse<Buffer> get(String path) throws Exception {
    return client.get(path).send().await(10, TimeUnit.SECONDS);
  }
}
