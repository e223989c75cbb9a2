package dev.boxoffice.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Requests refused by HTTP decoding, sent over a raw socket so that no client shortens or fixes them. */
class InvalidRequestsTest {

  private static int port;

  @BeforeAll
  static void start() {
    port = TestApi.shared().app().config().httpPort();
  }

  @Test
  @DisplayName("a 5 KB URL is answered 414 with the JSON error body")
  void longUrl() throws IOException {
    Answer answer = send("GET /api/events?q=" + "x".repeat(5 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

    assertThat(answer.status()).isEqualTo(414);
    assertThat(answer.json()).isEqualTo(new JsonObject().put("code", "uri_too_long")
        .put("message", "The request line (method, path and query) is over 4096 bytes"));
    assertThat(answer.header("content-type")).isEqualTo("application/json");
  }

  @Test
  @DisplayName("a 100 KB URL is answered 414 with the JSON error body too")
  void hugeUrl() throws IOException {
    Answer answer = send("GET /" + "y".repeat(100 * 1024) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

    assertThat(answer.status()).isEqualTo(414);
    assertThat(answer.json().getString("code")).isEqualTo("uri_too_long");
  }

  @Test
  @DisplayName("headers over 8 KB are answered 431 with the JSON error body")
  void oversizedHeaders() throws IOException {
    Answer answer = send("GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "z".repeat(9 * 1024)
        + "\r\n\r\n");

    assertThat(answer.status()).isEqualTo(431);
    assertThat(answer.json()).isEqualTo(new JsonObject().put("code", "headers_too_large")
        .put("message", "The request headers are over 8192 bytes"));
    assertThat(answer.header("cache-control")).isEqualTo("no-store");
  }

  @Test
  @DisplayName("a request HTTP cannot decode is answered 400 with the JSON error body")
  void malformedRequest() throws IOException {
    Answer answer = send("GET /api/events HTTP/9.x\r\nHost: 127.0.0.1\r\n\r\n");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json()).isEqualTo(new JsonObject().put("code", "bad_request")
        .put("message", "The request is malformed"));
  }

  /** Writes {@code request} and reads the answer until the server closes the connection. */
  private static Answer send(String request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream read = new ByteArrayOutputStream();
      in.transferTo(read);
      return Answer.parse(read.toString(StandardCharsets.UTF_8));
    }
  }

  private record Answer(int status, Map<String, String> headers, String body) {

    static Answer parse(String raw) {
      int end = raw.indexOf("\r\n\r\n");
      assertThat(end).as("a complete head in: %s", raw).isPositive();
      String[] lines = raw.substring(0, end).split("\r\n");
      Map<String, String> headers = new HashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
      return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, raw.substring(end + 4));
    }

    String header(String name) {
      return headers.get(name);
    }

    JsonObject json() {
      return new JsonObject(body);
    }
  }
}
