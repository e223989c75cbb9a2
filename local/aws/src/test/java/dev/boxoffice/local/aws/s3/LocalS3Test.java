package dev.boxoffice.local.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.aws.LocalCredentials;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class LocalS3Test {

  private static final String BUCKET = "tickets";

  @TempDir
  static Path dataDir;

  private static LocalS3 s3;
  private static S3Client client;
  private static S3Presigner presigner;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws IOException {
    s3 = LocalS3.start(dataDir, 0);
    client = s3Client(LocalCredentials.SECRET_ACCESS_KEY);
    presigner = S3Presigner.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials(LocalCredentials.SECRET_ACCESS_KEY))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
    client.createBucket(bucket -> bucket.bucket(BUCKET));
  }

  @AfterAll
  static void stop() {
    presigner.close();
    client.close();
    s3.stop();
  }

  @Test
  @DisplayName("an object put with the SDK reads back the same and lands as a file in the data folder")
  void putAndGet() {
    client.putObject(put -> put.bucket(BUCKET).key("orders/42.pdf").contentType("application/pdf"),
        RequestBody.fromString("%PDF-ticket-42"));

    var object = client.getObjectAsBytes(get -> get.bucket(BUCKET).key("orders/42.pdf"));

    assertThat(object.asUtf8String()).isEqualTo("%PDF-ticket-42");
    assertThat(object.response().contentType()).isEqualTo("application/pdf");
    assertThat(s3.endpoint().getHost()).isEqualTo("127.0.0.1");
    assertThat(Files.exists(dataDir.resolve("s3").resolve(BUCKET))).isTrue();
  }

  @Test
  @DisplayName("a pre-signed GET answers 200 with the object while valid and 403 once expired")
  void presignedGetExpires() throws Exception {
    client.putObject(put -> put.bucket(BUCKET).key("qr/7.png"), RequestBody.fromString("png-bytes"));
    URI valid = presignGet("qr/7.png", Duration.ofMinutes(5));
    URI shortLived = presignGet("qr/7.png", Duration.ofSeconds(1));

    HttpResponse<String> ok = HTTP.send(HttpRequest.newBuilder(valid).build(), HttpResponse.BodyHandlers.ofString());
    Thread.sleep(2_100);
    HttpResponse<String> expired =
        HTTP.send(HttpRequest.newBuilder(shortLived).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("png-bytes");
    assertThat(expired.statusCode()).isEqualTo(403);
    assertThat(expired.body()).contains("<Code>AccessDenied</Code>");
  }

  @Test
  @DisplayName("a wrong secret, a missing key or bucket, and a malformed body get S3 error codes, not a 500")
  void errors() throws Exception {
    try (S3Client wrongSecret = s3Client("not-the-secret")) {
      assertThatThrownBy(() -> wrongSecret.listBuckets())
          .isInstanceOfSatisfying(S3Exception.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
          });
    }
    assertThatThrownBy(() -> client.getObject(get -> get.bucket(BUCKET).key("missing")))
        .isInstanceOf(NoSuchKeyException.class);
    assertThatThrownBy(() -> client.headBucket(head -> head.bucket("no-such-bucket")))
        .isInstanceOf(NoSuchBucketException.class);

    HttpResponse<String> malformed = signedPost(s3.endpoint().resolve("/" + BUCKET + "?delete"),
        "<Delete><Object><Key>not closed</Delete>");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.body()).contains("<Code>MalformedXML</Code>");
  }

  private static HttpResponse<String> signedPost(URI uri, String body) throws Exception {
    SdkHttpRequest unsigned = SdkHttpRequest.builder()
        .method(SdkHttpMethod.POST)
        .uri(uri)
        .putHeader("Content-Type", "application/xml")
        .putHeader("Content-MD5", Base64.getEncoder().encodeToString(
            MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8))))
        .build();
    SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> sign
        .identity(AwsCredentialsIdentity.create(LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY))
        .request(unsigned)
        .payload(ContentStreamProvider.fromUtf8String(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, LocalCredentials.REGION));
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body));
    signed.request().headers().forEach((name, values) -> {
      if (!name.equalsIgnoreCase("Host") && !name.equalsIgnoreCase("Content-Length")) {
        values.forEach(value -> request.header(name, value));
      }
    });
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI presignGet(String key, Duration validity) throws Exception {
    return presigner.presignGetObject(presign -> presign
            .signatureDuration(validity)
            .getObjectRequest(get -> get.bucket(BUCKET).key(key)))
        .url().toURI();
  }

  private static S3Client s3Client(String secret) {
    return S3Client.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials(secret))
        .forcePathStyle(true)
        .build();
  }

  private static StaticCredentialsProvider credentials(String secret) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalCredentials.ACCESS_KEY_ID, secret));
  }
}
