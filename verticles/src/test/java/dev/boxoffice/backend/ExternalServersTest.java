package dev.boxoffice.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.local.servers.LocalRedis;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The backend against servers it did not start, configured the way ECS configures it for ElastiCache. */
class ExternalServersTest {

  private static final String AUTH_TOKEN = "local-auth-token-0123456789";

  private static LocalRedis protectedRedis;
  private static Vertx clientVertx;
  private static WebClient client;

  @BeforeAll
  static void start() throws Exception {
    protectedRedis = LocalRedis.start(Files.createTempDirectory("redis-auth"), 0, AUTH_TOKEN);
    clientVertx = Vertx.vertx();
    client = WebClient.create(clientVertx);
  }

  @AfterAll
  static void stop() throws Exception {
    clientVertx.close().await();
    protectedRedis.close();
  }

  @Test
  @DisplayName("with the auth token from the environment the backend is ready against a password-protected Redis")
  void readyWithAuthToken() throws Exception {
    try (Boxoffice app = Boxoffice.start(configWith(Optional.of(AUTH_TOKEN)))) {
      HttpResponse<Buffer> response = ready(app);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject().getJsonObject("checks").getString("redis")).isEqualTo("UP");
    }
  }

  @Test
  @DisplayName("with a wrong or missing auth token the backend reports Redis down, as a degraded dependency")
  void degradedWithoutAuthToken() throws Exception {
    for (Optional<String> token : java.util.List.of(Optional.<String>empty(), Optional.of("wrong-token-0123456789"))) {
      try (Boxoffice app = Boxoffice.start(configWith(token))) {
        HttpResponse<Buffer> response = ready(app);

        // Readiness fails on PostgreSQL only (see HealthTest); the missing Redis shows in the report and the metric.
        assertThat(response.statusCode()).as("token %s", token).isEqualTo(200);
        assertThat(response.bodyAsJsonObject().getJsonArray("degraded")).containsExactly("redis");
        assertThat(response.bodyAsJsonObject().getJsonObject("checks").getString("redis")).isEqualTo("DOWN");
        assertThat(response.bodyAsJsonObject().getJsonObject("checks").getString("postgres")).isEqualTo("UP");
      }
    }
  }

  private static Config configWith(Optional<String> authToken) throws Exception {
    Config config = TestServers.config(Files.createTempDirectory("static"), protectedRedis);
    return config.toBuilder().redis(new Config.Redis(protectedRedis.url(), authToken, 4)).build();
  }

  private static HttpResponse<Buffer> ready(Boxoffice app) throws Exception {
    return client.get(app.config().httpPort(), "127.0.0.1", "/health/ready").send().await(10, TimeUnit.SECONDS);
  }
}
