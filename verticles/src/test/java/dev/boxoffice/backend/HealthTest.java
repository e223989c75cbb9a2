package dev.boxoffice.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.local.servers.LocalPostgres;
import dev.boxoffice.local.servers.LocalRedis;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The health endpoints the load balancer checks: readiness fails only when this task cannot serve (PostgreSQL),
 * never for a dependency it serves without (Redis), which it reports instead.
 */
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
    client = WebClient.create(clientVertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
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
    HttpResponse<Buffer> response = get(app, "/health/live");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsJsonObject().getString("status")).isEqualTo("UP");
  }

  @Test
  @DisplayName("with Redis down readiness stays 200 and reports Redis as degraded, in the body and the metrics")
  void redisOutageDegradesWithoutFailingReadiness() throws Exception {
    assertThat(get(app, "/health/ready").statusCode()).isEqualTo(200);

    redis.stop();
    try {
      HttpResponse<Buffer> degraded = get(app, "/health/ready");
      assertThat(degraded.statusCode()).isEqualTo(200);
      assertThat(degraded.bodyAsJsonObject()).isEqualTo(new JsonObject()
          .put("status", "UP")
          .put("checks", new JsonObject().put("postgres", "UP").put("redis", "DOWN"))
          .put("degraded", new JsonArray().add("redis")));
      assertThat(get(app, "/metrics").bodyAsString())
          .contains("boxoffice_dependency_up{dependency=\"redis\"} 0.0")
          .contains("boxoffice_dependency_up{dependency=\"postgres\"} 1.0");
    } finally {
      redis.start();
    }
    assertThat(awaitReadiness(app, report -> report.getJsonArray("degraded").isEmpty())).isEqualTo(new JsonObject()
        .put("status", "UP")
        .put("checks", new JsonObject().put("postgres", "UP").put("redis", "UP"))
        .put("degraded", new JsonArray()));
    assertThat(get(app, "/metrics").bodyAsString()).contains("boxoffice_dependency_up{dependency=\"redis\"} 1.0");
  }

  @Test
  @DisplayName("with PostgreSQL unreachable readiness answers 503 while liveness stays 200")
  void postgresOutageFailsReadiness() throws Exception {
    LocalPostgres ownPostgres = LocalPostgres.start(Files.createTempDirectory("boxoffice-health-pg"), 0, "boxoffice",
        false);
    Config config = TestServers.config(Files.createTempDirectory("static"), redis);
    Boxoffice ownApp = Boxoffice.start(config.withDatabase(new Config.Database(ownPostgres.host(), ownPostgres.port(),
        ownPostgres.database(), ownPostgres.user(), "", "disable", Optional.empty(), 4)));
    try {
      assertThat(get(ownApp, "/health/ready").statusCode()).isEqualTo(200);

      ownPostgres.close();

      HttpResponse<Buffer> unready = get(ownApp, "/health/ready");
      assertThat(unready.statusCode()).isEqualTo(503);
      assertThat(unready.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
      assertThat(unready.bodyAsJsonObject().getJsonObject("checks").getString("postgres")).isEqualTo("DOWN");
      assertThat(get(ownApp, "/health/live").statusCode()).isEqualTo(200);
      assertThat(get(ownApp, "/metrics").bodyAsString())
          .contains("boxoffice_dependency_up{dependency=\"postgres\"} 0.0");
    } finally {
      ownApp.close();
      ownPostgres.close();
    }
  }

  @Test
  @DisplayName("metrics are exposed in the Prometheus text format, HTTP server counters included")
  void metrics() throws Exception {
    get(app, "/health/live");

    HttpResponse<Buffer> response = get(app, "/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.bodyAsString()).contains("vertx_http_server_requests_total").contains("jvm_memory_used_bytes");
  }

  private static JsonObject awaitReadiness(Boxoffice backend, Predicate<JsonObject> wanted) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    JsonObject report = get(backend, "/health/ready").bodyAsJsonObject();
    while (!wanted.test(report) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      report = get(backend, "/health/ready").bodyAsJsonObject();
    }
    return report;
  }

  private static HttpResponse<Buffer> get(Boxoffice backend, String path) throws Exception {
    return client.get(backend.config().httpPort(), "127.0.0.1", path).send().await(10, TimeUnit.SECONDS);
  }
}
