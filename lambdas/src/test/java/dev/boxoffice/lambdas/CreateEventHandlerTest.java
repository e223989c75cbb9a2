package dev.boxoffice.lambdas;

import static dev.boxoffice.lambdas.ApiRequests.assertError;
import static dev.boxoffice.lambdas.ApiRequests.binary;
import static dev.boxoffice.lambdas.ApiRequests.body;
import static dev.boxoffice.lambdas.ApiRequests.session;
import static dev.boxoffice.lambdas.ApiRequests.withBearer;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
@ExtendWith(LocalCloudExtension.class)
@DisplayName("POST /create-event (event image upload)")
class CreateEventHandlerTest {

  private final LocalCloud aws;
  private final String mediaBucket;
  private final CreateEventHandler handler;
  private final String organizer = "organizer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
  private final String organizerPrefix = "events/" + Hashing.sha256Hex(organizer).substring(0, 32) + "/";
  private final String organizerToken;

  CreateEventHandlerTest(LocalCloud aws) {
    this.aws = aws;
    this.mediaBucket = aws.resources().bucketName("MediaBucket");
    this.handler = new CreateEventHandler(aws.functionEnvironment("CreateEventFunction"));
    this.organizerToken = session(aws.secrets().sessionKeys().getPrivate(), organizer, Role.BUYER, Role.ORGANIZER);
  }

  @Test
  @DisplayName("a large PNG with transparency is stored as a JPEG capped at 2048 px plus a 400 px thumbnail under the organizer's prefix")
  void pngReencoded() throws IOException {
    byte[] png = TestImages.encode(TestImages.gradient(3000, 1500, BufferedImage.TYPE_INT_ARGB), "png");

    APIGatewayProxyResponseEvent response = upload("image/png", png, organizerToken);

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    JsonNode keys = body(response);
    String imageKey = keys.path("imageKey").asText();
    assertThat(imageKey).startsWith(organizerPrefix).endsWith(".jpg");
    assertThat(keys.path("thumbnailKey").asText()).isEqualTo(imageKey.replace(".jpg", "_thumb.jpg"));
    BufferedImage image = stored(imageKey);
    assertThat(image.getWidth()).isEqualTo(2048);
    assertThat(image.getHeight()).isEqualTo(1024);
    BufferedImage thumbnail = stored(keys.path("thumbnailKey").asText());
    assertThat(thumbnail.getWidth()).isEqualTo(400);
    assertThat(thumbnail.getHeight()).isEqualTo(200);
    assertThat(aws.admin().s3().headObject(head -> head.bucket(mediaBucket).key(imageKey)).contentType())
        .isEqualTo("image/jpeg");
  }

  @Test
  @DisplayName("a JPEG's EXIF metadata (say a GPS position) does not survive the re-encoding; small images keep their size")
  void jpegMetadataStripped() throws IOException {
    byte[] jpeg = TestImages.jpegWithExif(640, 480, "GPS-SECRET-52.52N-13.40E");

    APIGatewayProxyResponseEvent response = upload("image/jpeg", jpeg, organizerToken);

    assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
    String imageKey = body(response).path("imageKey").asText();
    byte[] storedBytes = aws.admin().s3().getObjectAsBytes(get -> get.bucket(mediaBucket).key(imageKey)).asByteArray();
    assertThat(new String(storedBytes, StandardCharsets.ISO_8859_1)).doesNotContain("GPS-SECRET").doesNotContain("Exif");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(storedBytes));
    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(480);
  }

  @Test
  @DisplayName("lossy and lossless WebP uploads are recognised by content, whatever the declared type, and stored as JPEG")
  void webpAccepted() throws IOException {
    for (byte[] webp : new byte[][] {TestImages.WEBP_LOSSY, TestImages.WEBP_LOSSLESS}) {
      APIGatewayProxyResponseEvent response = upload("application/octet-stream", webp, organizerToken);

      assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
      BufferedImage image = stored(body(response).path("imageKey").asText());
      assertThat(image.getWidth()).isEqualTo(1);
      assertThat(image.getHeight()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("fake and hostile images get a clear 4xx and nothing is stored")
  void hostileImagesRefused() {
    assertError(upload("image/png", "just some text, named cat.png".getBytes(StandardCharsets.UTF_8), organizerToken),
        415, "unsupported_image");
    assertError(upload("image/png", "<svg onload=alert(1)></svg>".getBytes(StandardCharsets.UTF_8), organizerToken),
        415, "unsupported_image");
    assertError(upload("image/png", TestImages.pngClaiming(50_000, 50_000), organizerToken), 400, "image_too_large");
    assertError(upload("image/jpeg", TestImages.jpegClaiming(50_000, 50_000), organizerToken), 400,
        "image_too_large");
    assertError(upload("image/webp", TestImages.webpClaiming(50_000, 50_000), organizerToken), 400,
        "image_too_large");
    assertError(upload("image/png", TestImages.pngClaiming(9_000, 9_000), organizerToken), 400, "image_too_large");
    assertError(upload("image/png", TestImages.encode(TestImages.gradient(12_000, 4, BufferedImage.TYPE_INT_RGB),
        "png"), organizerToken), 400, "image_too_large");
    byte[] png = TestImages.encode(TestImages.gradient(64, 64, BufferedImage.TYPE_INT_RGB), "png");
    byte[] truncated = Arrays.copyOf(png, 60);
    assertError(upload("image/png", truncated, organizerToken), 400, "unreadable_image");
    byte[] oversized = new byte[EventImages.MAX_UPLOAD_BYTES + 1];
    new Random(1).nextBytes(oversized);
    assertError(upload("image/jpeg", oversized, organizerToken), 413, "payload_too_large");

    assertThat(aws.objectKeys("MediaBucket", organizerPrefix)).isEmpty();
  }

  @Test
  @DisplayName("a wrong content type, a text body or no body at all answers 4xx and stores nothing")
  void wrongRequestShape() {
    byte[] png = TestImages.encode(TestImages.gradient(32, 32, BufferedImage.TYPE_INT_RGB), "png");

    assertError(upload("application/json", png, organizerToken), 415, "unsupported_media_type");
    assertError(upload(null, png, organizerToken), 415, "unsupported_media_type");
    assertError(handler.handleRequest(withBearer(ApiRequests.request("POST", "/create-event", "image/png",
        new String(png, StandardCharsets.ISO_8859_1), false), organizerToken), null), 400, "not_binary");
    assertError(handler.handleRequest(withBearer(ApiRequests.request("POST", "/create-event", "image/png",
        null, true), organizerToken), null), 400, "missing_body");
    assertError(handler.handleRequest(withBearer(ApiRequests.request("POST", "/create-event", "image/png",
        "%%% not base64 %%%", true), organizerToken), null), 400, "malformed_body");

    assertThat(aws.objectKeys("MediaBucket", organizerPrefix)).isEmpty();
  }

  @Test
  @DisplayName("missing, malformed, expired and forged tokens answer 401; a buyer's token answers 403; nothing is stored")
  void authentication() {
    byte[] png = TestImages.encode(TestImages.gradient(32, 32, BufferedImage.TYPE_INT_RGB), "png");
    Instant now = Instant.now();

    assertError(handler.handleRequest(binary("/create-event", "image/png", png), null), 401, "unauthorized");
    APIGatewayProxyRequestEvent basic = binary("/create-event", "image/png", png);
    basic.getHeaders().put("Authorization", "Basic b3JnOnNlY3JldA==");
    assertError(handler.handleRequest(basic, null), 401, "unauthorized");
    assertError(upload("image/png", png, "not.a.token"), 401, "unauthorized");
    assertError(upload("image/png", png, session(aws.secrets().sessionKeys().getPrivate(), organizer, now.minusSeconds(7200),
        now.minusSeconds(3600), Role.ORGANIZER)), 401, "unauthorized");
    assertError(upload("image/png", png, session(SessionTokens.generateKeyPair().getPrivate(), organizer,
        Role.ORGANIZER)), 401, "unauthorized");
    assertError(upload("image/png", png, session(aws.secrets().sessionKeys().getPrivate(), organizer, Role.BUYER)), 403,
        "forbidden");

    assertThat(aws.objectKeys("MediaBucket", organizerPrefix)).isEmpty();
  }

  private APIGatewayProxyResponseEvent upload(String contentType, byte[] body, String token) {
    return handler.handleRequest(withBearer(binary("/create-event", contentType, body), token), null);
  }

  private BufferedImage stored(String key) throws IOException {
    return ImageIO.read(new ByteArrayInputStream(
        aws.admin().s3().getObjectAsBytes(get -> get.bucket(mediaBucket).key(key)).asByteArray()));
  }
}
