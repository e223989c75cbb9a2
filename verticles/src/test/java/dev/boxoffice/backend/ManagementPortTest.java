package dev.boxoffice.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.config.TestEnvironments;
import dev.boxoffice.local.servers.LocalPostgres;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A backend in aws mode, as ECS runs it: the public port, which the load balancer routes, serves no metrics and
 * readiness as a status alone; the management port (loopback, scraped by the collector beside the task) serves both.
 */
class ManagementPortTest {

  private static Boxoffice app;
  private static Config.Management management;
  private static Vertx clientVertx;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    LocalPostgres pg = TestServers.postgres();
    Config aws = Config.fromEnvironment(TestEnvironments.aws(
        "BOXOFFICE_METRICS_PORT", String.valueOf(LoopbackPorts.free())));
    management = aws.management().orElseThrow();
    Path staticDir = Files.createTempDirectory("static");
    Files.writeString(staticDir.resolve("index.html"), "<!doctype html><title>Boxoffice</title>");
    app = Boxoffice.start(aws.toBuilder()
        .http("127.0.0.1", LoopbackPorts.free())
        .staticDir(staticDir)
        .dataDir(Files.createTempDirectory("boxoffice-test-data"))
        .database(new Config.Database(pg.host(), pg.port(), pg.database(), pg.user(), "", "disable",
            Optional.empty(), 4))
        .redis(new Config.Redis(TestServers.redis().url(), Optional.empty(), 4))
        // The shared database may hold other tests' sign-outs, which a table would be sent to AWS's DynamoDB.
        .revokedSessions(Config.RevokedSessionsTable.off())
        .build());
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx);
  }

  @AfterAll
  static void stop() throws Exception {
    clientVertx.close().await();
    app.close();
  }

  @Test
  @DisplayName("in aws mode the public port has no /metrics, and its readiness says UP without naming dependencies")
  void publicPortServesNoInternals() throws Exception {
    assertThat(app.config().mode()).isEqualTo(Config.Mode.AWS);
    assertThat(management.host()).isEqualTo("127.0.0.1");

    HttpResponse<Buffer> metrics = get(app.config().httpPort(), "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(404);
    assertThat(metrics.bodyAsJsonObject().getString("code")).isEqualTo("not_found");

    HttpResponse<Buffer> ready = get(app.config().httpPort(), "/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject()).isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(get(app.config().httpPort(), "/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("the management port serves the Prometheus metrics and the detailed readiness report")
  void managementPortServesMetricsAndDetails() throws Exception {
    HttpResponse<Buffer> metrics = get(management.port(), "/metrics");
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.bodyAsString()).contains("boxoffice_dependency_up{dependency=\"postgres\"}")
        .contains("vertx_http_server_requests_total");

    HttpResponse<Buffer> ready = get(management.port(), "/health/ready");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.bodyAsJsonObject().getJsonObject("checks"))
        .isEqualTo(new JsonObject().put("postgres", "UP").put("redis", "UP"));
    assertThat(get(management.port(), "/api/events").statusCode()).isEqualTo(404);
  }

  private static HttpResponse<Buffer> get(int port, String path) throws Exception {
    return client.get(port, "127.0.0.1", path).send().await(10, TimeUnit.SECONDS);
  }
}
