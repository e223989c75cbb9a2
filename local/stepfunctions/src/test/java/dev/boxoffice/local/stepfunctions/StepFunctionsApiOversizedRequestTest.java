package dev.boxoffice.local.stepfunctions;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Requests the HTTP parser refuses, answered in AWS JSON like every other Step Functions API error. */
class StepFunctionsApiOversizedRequestTest {

  private static final int HUGE = 100 * 1024;
  private static Vertx vertx;
  private static StepFunctionsEngine engine;
  private static int port;

  @BeforeAll
  static void startApi() {
    vertx = Vertx.vertx();
    engine = new StepFunctionsEngine(vertx, StepFunctionsConfig.local(),
        (function, payload) -> Future.succeededFuture("{}"));
    StepFunctionsApiVerticle api = new StepFunctionsApiVerticle(engine);
    vertx.deployVerticle(api).await();
    port = api.actualPort();
  }

  @AfterAll
  static void stopApi() {
    engine.close();
    vertx.close().await();
  }

  @Test
  @DisplayName("a 100 KB URL is answered 414 with an AWS JSON error carrying __type and message")
  void hugeUrl() throws IOException {
    String response = send("POST /" + "a".repeat(HUGE) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");

    assertThat(response).startsWith("HTTP/1.").contains(" 414 ")
        .contains("application/x-amz-json-1.0")
        .contains("{\"__type\":\"RequestURITooLongException\",\"message\":");
  }

  @Test
  @DisplayName("a 100 KB header is answered 431 with an AWS JSON error carrying __type and message")
  void hugeHeader() throws IOException {
    String response = send("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines"
        + "\r\nX-Padding: " + "p".repeat(HUGE) + "\r\nContent-Length: 0\r\n\r\n");

    assertThat(response).contains(" 431 ")
        .contains("{\"__type\":\"RequestHeaderFieldsTooLargeException\",\"message\":");
  }

  @Test
  @DisplayName("a 5 KB URL reaches the API and gets its JSON error for a path other than /")
  void fiveKilobyteUrl() throws IOException {
    String response = send("POST /" + "a".repeat(5 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Connection: close\r\nContent-Length: 0\r\n\r\n");

    assertThat(response).contains(" 404 ").contains("{\"__type\":\"UnknownOperationException\"");
  }

  private static String send(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
          answer.write(buffer, 0, read);
        }
      } catch (SocketException resetAfterTheAnswer) {
        if (answer.size() == 0) {
          throw resetAfterTheAnswer;
        }
      }
      return answer.toString(StandardCharsets.UTF_8);
    }
  }
}
