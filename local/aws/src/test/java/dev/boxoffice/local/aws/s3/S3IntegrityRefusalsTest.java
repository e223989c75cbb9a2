package dev.boxoffice.local.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.aws.LocalCredentials;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The refusals of the local S3 for bodies whose integrity claims do not hold, on the wire: requests signed with the
 * SDK's own SigV4 signer (aws-chunked with signed or unsigned chunks and trailers), then altered the way a broken
 * network or client would alter them. Each refusal carries S3's error code, and nothing is stored.
 */
class S3IntegrityRefusalsTest {

  private static final String BUCKET = "integrity";
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Set<String> SET_BY_HTTP_CLIENT = Set.of("host", "content-length", "expect", "connection");

  @TempDir
  static Path dataDir;

  private static LocalS3 s3;
  private static S3Client client;

  @BeforeAll
  static void start() throws IOException {
    s3 = LocalS3.start(dataDir, 0);
    client = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create(LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY)))
        .build();
    client.createBucket(bucket -> bucket.bucket(BUCKET));
  }

  @AfterAll
  static void stop() {
    client.close();
    s3.stop();
  }

  @Test
  @DisplayName("a signed aws-chunked upload of 9 MiB with a signed CRC32 trailer is stored with that checksum")
  void signedChunksAndTrailer() throws Exception {
    byte[] body = randomBytes(9 * 1024 * 1024);

    HttpResponse<String> response = send(chunked("signed-9mib.bin", body, true), UnaryOperator.identity());
    var head = client.headObject(request -> request.bucket(BUCKET).key("signed-9mib.bin")
        .checksumMode(software.amazon.awssdk.services.s3.model.ChecksumMode.ENABLED));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(head.contentLength()).isEqualTo(body.length);
    assertThat(head.checksumCRC32()).isEqualTo(crc32(body));
  }

  @Test
  @DisplayName("a byte changed in an unsigned aws-chunked body of 9 MiB fails its CRC32 trailer: BadDigest, nothing "
      + "stored and nothing left in the spool")
  void unsignedChunksWithWrongTrailer() throws Exception {
    byte[] body = randomBytes(9 * 1024 * 1024);

    HttpResponse<String> response = send(chunked("bad-trailer.bin", body, false), flipByteAt(100_000));

    assertRefused(response, 400, "BadDigest", "bad-trailer.bin");
    assertThat(spoolFiles()).isEmpty();
  }

  @Test
  @DisplayName("a byte changed in a signed chunk fails that chunk's signature: SignatureDoesNotMatch, nothing stored")
  void signedChunkAltered() throws Exception {
    byte[] body = randomBytes(300_000);

    HttpResponse<String> response = send(chunked("bad-chunk.bin", body, true), flipByteAt(200_000));

    assertRefused(response, 403, "SignatureDoesNotMatch", "bad-chunk.bin");
  }

  @Test
  @DisplayName("a trailer value replaced after signing fails the trailer signature: SignatureDoesNotMatch")
  void signedTrailerAltered() throws Exception {
    byte[] body = randomBytes(20_000);
    String forged = crc32("forged".getBytes(StandardCharsets.UTF_8));

    HttpResponse<String> response = send(chunked("bad-trailer-signature.bin", body, true),
        bytes -> new String(bytes, StandardCharsets.ISO_8859_1)
            .replace("x-amz-checksum-crc32:" + crc32(body), "x-amz-checksum-crc32:" + forged)
            .getBytes(StandardCharsets.ISO_8859_1));

    assertRefused(response, 403, "SignatureDoesNotMatch", "bad-trailer-signature.bin");
  }

  @Test
  @DisplayName("a signed payload whose body differs from its x-amz-content-sha256 is refused XAmzContentSHA256Mismatch")
  void signedPayloadAltered() throws Exception {
    byte[] body = randomBytes(5_000);
    Signed signed = sign(put("bad-payload.bin", body.length, Map.of()), body, Map.of(
        AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true, AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, false));

    HttpResponse<String> response = send(signed, flipByteAt(10));

    assertRefused(response, 400, "XAmzContentSHA256Mismatch", "bad-payload.bin");
  }

  @Test
  @DisplayName("a malformed checksum value, two checksum headers, or an SDK algorithm with no checksum are "
      + "InvalidRequest")
  void malformedChecksumClaims() throws Exception {
    byte[] body = randomBytes(1_000);

    HttpResponse<String> notBase64 = send(unsignedPayload("claims-1.bin", body,
        Map.of("x-amz-checksum-crc32", "not a checksum")), UnaryOperator.identity());
    HttpResponse<String> twoHeaders = send(unsignedPayload("claims-2.bin", body,
        Map.of("x-amz-checksum-crc32", crc32(body), "x-amz-checksum-sha1", "AAAAAAAAAAAAAAAAAAAAAAAAAAA=")),
        UnaryOperator.identity());
    HttpResponse<String> algorithmAlone = send(unsignedPayload("claims-3.bin", body,
        Map.of("x-amz-sdk-checksum-algorithm", "CRC32")), UnaryOperator.identity());

    assertRefused(notBase64, 400, "InvalidRequest", "claims-1.bin");
    assertRefused(twoHeaders, 400, "InvalidRequest", "claims-2.bin");
    assertRefused(algorithmAlone, 400, "InvalidRequest", "claims-3.bin");
  }

  @Test
  @DisplayName("CompleteMultipartUpload with an x-amz-mp-object-size that is not the parts' total is InvalidRequest")
  void wrongObjectSizeAtCompletion() {
    String key = "sized.bin";
    byte[] part = randomBytes(5 * 1024 * 1024);
    String uploadId = client.createMultipartUpload(request -> request.bucket(BUCKET).key(key)
        .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
    var uploaded = client.uploadPart(request -> request.bucket(BUCKET).key(key).uploadId(uploadId).partNumber(1)
        .checksumAlgorithm(ChecksumAlgorithm.CRC32), RequestBody.fromBytes(part));
    CompletedPart completed = CompletedPart.builder().partNumber(1).eTag(uploaded.eTag())
        .checksumCRC32(uploaded.checksumCRC32()).build();

    assertThatThrownBy(() -> client.completeMultipartUpload(request -> request.bucket(BUCKET).key(key)
        .uploadId(uploadId).mpuObjectSize((long) part.length + 1).multipartUpload(upload -> upload.parts(completed))))
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidRequest");
        });
    client.completeMultipartUpload(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)
        .mpuObjectSize((long) part.length).multipartUpload(upload -> upload.parts(completed)));
    assertThat(client.headObject(request -> request.bucket(BUCKET).key(key)).contentLength()).isEqualTo(part.length);
  }

  /**
   * An aws-chunked PUT with a CRC32 trailer. The SDK's signer leaves chunks unsigned only over TLS, so an unsigned one
   * is signed for an https URI; the scheme is not signed, and the request goes to the plain endpoint all the same.
   */
  private static Signed chunked(String key, byte[] body, boolean signedChunks) {
    SdkHttpRequest request = put(key, body.length, Map.of());
    if (!signedChunks) {
      request = request.toBuilder().protocol("https").build();
    }
    return sign(request, body, Map.of(
        AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, signedChunks,
        AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, true,
        AwsV4HttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32));
  }

  private static Signed unsignedPayload(String key, byte[] body, Map<String, String> headers) {
    return sign(put(key, body.length, headers), body, Map.of(
        AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, false, AwsV4HttpSigner.CHUNK_ENCODING_ENABLED, false));
  }

  private static SdkHttpRequest put(String key, int length, Map<String, String> headers) {
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
        .uri(s3.endpoint().resolve("/" + BUCKET + "/" + key))
        .putHeader("Content-Length", String.valueOf(length));
    headers.forEach(request::putHeader);
    return request.build();
  }

  private record Signed(SdkHttpRequest request, byte[] body) {
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Signed sign(SdkHttpRequest request, byte[] body, Map<Object, Object> properties) {
    SignedRequest signed = AwsV4HttpSigner.create().sign(sign -> {
      sign.identity(AwsCredentialsIdentity.create(LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY))
          .request(request)
          .payload(ContentStreamProvider.fromByteArray(body))
          .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
          .putProperty(AwsV4HttpSigner.REGION_NAME, LocalCredentials.REGION);
      properties.forEach((property, value) ->
          sign.putProperty((software.amazon.awssdk.http.auth.spi.signer.SignerProperty) property, value));
    });
    try (InputStream payload = signed.payload().orElseThrow().newStream()) {
      return new Signed(signed.request(), payload.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> send(Signed signed, UnaryOperator<byte[]> alteration) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(s3.endpoint().resolve(signed.request().encodedPath()))
        .timeout(Duration.ofSeconds(30))
        .method(signed.request().method().name(),
            HttpRequest.BodyPublishers.ofByteArray(alteration.apply(signed.body().clone())));
    signed.request().headers().forEach((name, values) -> {
      if (!SET_BY_HTTP_CLIENT.contains(name.toLowerCase())) {
        values.forEach(value -> request.header(name, value));
      }
    });
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static UnaryOperator<byte[]> flipByteAt(int offset) {
    return bytes -> {
      bytes[offset] ^= 0x01;
      return bytes;
    };
  }

  private static void assertRefused(HttpResponse<String> response, int status, String code, String key) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/xml");
    assertThat(response.body()).contains("<Code>" + code + "</Code>").contains("<RequestId>");
    assertThatThrownBy(() -> client.headObject(request -> request.bucket(BUCKET).key(key)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  private static Stream<Path> spoolFiles() throws Exception {
    Path spool = dataDir.resolve("s3-incoming");
    for (int attempt = 0; attempt < 50 && Files.list(spool).findAny().isPresent(); attempt++) {
      Thread.sleep(100);
    }
    return Files.list(spool);
  }

  private static String crc32(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return Base64.getEncoder().encodeToString(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }
}
