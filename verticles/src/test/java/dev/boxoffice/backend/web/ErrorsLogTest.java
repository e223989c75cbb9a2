package dev.boxoffice.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The log line of an unexpected failure, as CloudWatch receives it in aws mode (the JSON encoder of logback.xml):
 * one JSON object carrying the request's id, while the client gets the plain 500 body.
 */
class ErrorsLogTest {

  private final Logger errorsLogger = (Logger) LoggerFactory.getLogger(Errors.class);
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final LogstashEncoder encoder = new LogstashEncoder();
  private Vertx vertx;
  private WebClient client;
  private int port;

  @BeforeEach
  void start() {
    logged.start();
    errorsLogger.addAppender(logged);
    encoder.setContext(errorsLogger.getLoggerContext());
    encoder.start();
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.get("/boom").handler(ctx -> {
      throw new IllegalStateException("a bug");
    });
    Errors.install(router);
    port = LoopbackPorts.free();
    vertx.createHttpServer().requestHandler(router).listen(port, "127.0.0.1").await();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    errorsLogger.detachAppender(logged);
    vertx.close().await();
  }

  @Test
  @DisplayName("an unexpected failure is logged as JSON with the ALB's trace id as requestId, and answered 500 bare")
  void logsTheLoadBalancersTraceId() throws Exception {
    String traceId = "Root=1-67891233-abcdef012345678912345678";
    HttpResponse<Buffer> response = client.get(port, "127.0.0.1", "/boom").putHeader("X-Amzn-Trace-Id", traceId)
        .send().await(10, TimeUnit.SECONDS);

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.bodyAsJsonObject()).isEqualTo(new JsonObject().put("code", "internal")
        .put("message", "Something went wrong on our side"));
    JsonObject line = onlyLine();
    assertThat(line.getString("requestId")).isEqualTo(traceId);
    assertThat(line.getString("level")).isEqualTo("ERROR");
    assertThat(line.getString("message")).startsWith("unexpected failure on GET /boom");
    assertThat(line.getString("stack_trace")).contains("IllegalStateException: a bug");
  }

  @Test
  @DisplayName("without a load balancer's trace id the line still gets a request id of its own")
  void makesUpAnIdWithoutTheHeader() throws Exception {
    client.get(port, "127.0.0.1", "/boom").send().await(10, TimeUnit.SECONDS);

    assertThat(onlyLine().getString("requestId")).matches("[0-9a-f-]{36}");
  }

  private JsonObject onlyLine() {
    assertThat(logged.list).hasSize(1);
    return new JsonObject(new String(encoder.encode(logged.list.get(0)), StandardCharsets.UTF_8));
  }
}
