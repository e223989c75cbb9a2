package dev.boxoffice.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.s3.LocalS3;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The local stand-in for CloudFront in front of the media bucket, against a real local S3. */
class LocalImageCdnTest {

  private static final String BUCKET = "media";
  private static final int HUGE = 100 * 1024;

  @TempDir
  static Path dataDir;

  private static LocalS3 s3;
  private static S3Client client;
  private static Vertx vertx;
  private static LocalImageCdn cdn;

  @BeforeAll
  static void start() throws Exception {
    s3 = LocalS3.start(dataDir, 0);
    client = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY)))
        .build();
    client.createBucket(bucket -> bucket.bucket(BUCKET));
    client.putObject(put -> put.bucket(BUCKET).key("events/poster.png").contentType("image/png"),
        RequestBody.fromString("png-bytes"));
    vertx = Vertx.vertx();
    cdn = new LocalImageCdn(client, BUCKET, 0);
    vertx.deployVerticle(cdn).await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    client.close();
    s3.stop();
  }

  @Test
  @DisplayName("serves an event image, and answers a missing one with a JSON 404")
  void servesImages() throws IOException {
    String image = get("/events/poster.png", 0);
    String missing = get("/events/missing.png", 0);

    assertThat(image).startsWith("HTTP/1.1 200").contains("image/png").endsWith("png-bytes");
    assertThat(missing).startsWith("HTTP/1.1 404");
    assertThat(new JsonObject(body(missing)).getString("code")).isEqualTo("not_found");
  }

  @Test
  @DisplayName("answers a 5 KB URL with a JSON 404, and a 100 KB URL or header with a JSON 414 or 431")
  void oversizedRequests() throws IOException {
    String fiveKb = get("/events/" + "a".repeat(5 * 1024), 0);
    String hugeUrl = get("/events/" + "a".repeat(HUGE), 0);
    String hugeHeader = get("/events/poster.png", HUGE);

    assertThat(fiveKb).startsWith("HTTP/1.1 404");
    assertThat(new JsonObject(body(fiveKb)).getString("code")).isEqualTo("not_found");
    assertThat(hugeUrl).contains(" 414 ");
    assertThat(new JsonObject(body(hugeUrl)).getString("code")).isEqualTo("uri_too_long");
    assertThat(hugeHeader).contains(" 431 ");
    assertThat(new JsonObject(body(hugeHeader)).getString("code")).isEqualTo("headers_too_large");
  }

  private static String get(String target, int paddingBytes) throws IOException {
    String request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        + (paddingBytes > 0 ? "X-Padding: " + "p".repeat(paddingBytes) + "\r\n" : "") + "\r\n";
    try (Socket socket = new Socket("127.0.0.1", cdn.endpoint().getPort())) {
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

  private static String body(String response) {
    return response.substring(response.indexOf("\r\n\r\n") + 4);
  }
}
