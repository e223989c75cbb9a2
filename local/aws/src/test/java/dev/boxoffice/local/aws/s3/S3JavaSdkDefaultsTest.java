package dev.boxoffice.local.aws.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.aws.LocalCredentials;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * The AWS SDK for Java v2 at its default settings against the local S3: since 2.30 it sends a CRC32 with every
 * upload (as an aws-chunked trailer where it streams) and validates the checksum of every download. Only the endpoint
 * and path-style addressing are set, as for any S3-compatible endpoint.
 */
class S3JavaSdkDefaultsTest {

  private static final String BUCKET = "sdk-defaults";
  private static final int MIB = 1024 * 1024;

  @TempDir
  static Path dataDir;

  private static LocalS3 s3;
  private static S3Client client;
  private static S3AsyncClient asyncClient;
  private static S3AsyncClient multipartClient;
  private static S3Presigner presigner;

  @BeforeAll
  static void start() throws Exception {
    s3 = LocalS3.start(dataDir, 0);
    client = S3Client.builder()
        .endpointOverride(s3.endpoint()).forcePathStyle(true)
        .region(Region.US_EAST_1).credentialsProvider(credentials())
        .build();
    asyncClient = S3AsyncClient.builder()
        .endpointOverride(s3.endpoint()).forcePathStyle(true)
        .region(Region.US_EAST_1).credentialsProvider(credentials())
        .build();
    multipartClient = S3AsyncClient.builder()
        .endpointOverride(s3.endpoint()).forcePathStyle(true)
        .region(Region.US_EAST_1).credentialsProvider(credentials())
        .multipartEnabled(true)
        .build();
    presigner = S3Presigner.builder()
        .endpointOverride(s3.endpoint())
        .region(Region.US_EAST_1).credentialsProvider(credentials())
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
        .build();
    client.createBucket(bucket -> bucket.bucket(BUCKET));
  }

  @AfterAll
  static void stop() {
    presigner.close();
    multipartClient.close();
    asyncClient.close();
    client.close();
    s3.stop();
  }

  @Test
  @DisplayName("a put at the SDK's defaults stores its CRC32, and a GET with checksum mode answers it")
  void defaultPutStoresItsCrc32() {
    byte[] body = randomBytes(200_000);

    PutObjectResponse put = client.putObject(request -> request.bucket(BUCKET).key("default.bin"),
        RequestBody.fromBytes(body));
    var got = client.getObjectAsBytes(request -> request.bucket(BUCKET).key("default.bin")
        .checksumMode(ChecksumMode.ENABLED));

    assertThat(put.checksumCRC32()).isEqualTo(crc32(body));
    assertThat(got.asByteArray()).isEqualTo(body);
    assertThat(got.response().checksumCRC32()).isEqualTo(crc32(body));
    assertThat(got.response().checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = ChecksumAlgorithm.class, names = {"CRC32", "CRC32_C", "SHA1", "SHA256", "CRC64_NVME"})
  @DisplayName("a put with each algorithm stores it, and HEAD and GET with checksum mode answer the same value")
  void everyAlgorithm(ChecksumAlgorithm algorithm) {
    byte[] body = randomBytes(70_000);
    String key = "algorithm/" + algorithm;
    String expected = independentChecksum(algorithm, body);

    // The SDK computes CRC64NVME only with the native CRT library, so that one is sent precomputed.
    PutObjectResponse put = client.putObject(request -> {
      request.bucket(BUCKET).key(key);
      if (algorithm == ChecksumAlgorithm.CRC64_NVME) {
        request.checksumCRC64NVME(expected);
      } else {
        request.checksumAlgorithm(algorithm);
      }
    }, RequestBody.fromBytes(body));
    HeadObjectResponse head = client.headObject(request -> request.bucket(BUCKET).key(key)
        .checksumMode(ChecksumMode.ENABLED));
    var got = client.getObjectAsBytes(request -> request.bucket(BUCKET).key(key)
        .checksumMode(ChecksumMode.ENABLED));

    assertThat(storedChecksum(algorithm, put.checksumCRC32(), put.checksumCRC32C(), put.checksumSHA1(),
        put.checksumSHA256(), put.checksumCRC64NVME())).isEqualTo(expected);
    assertThat(storedChecksum(algorithm, head.checksumCRC32(), head.checksumCRC32C(), head.checksumSHA1(),
        head.checksumSHA256(), head.checksumCRC64NVME())).isEqualTo(expected);
    GetObjectResponse response = got.response();
    assertThat(storedChecksum(algorithm, response.checksumCRC32(), response.checksumCRC32C(),
        response.checksumSHA1(), response.checksumSHA256(), response.checksumCRC64NVME())).isEqualTo(expected);
    assertThat(got.asByteArray()).isEqualTo(body);
  }

  @Test
  @DisplayName("the async client at its defaults puts and gets with its CRC32")
  void asyncClient() {
    byte[] body = randomBytes(300_000);

    asyncClient.putObject(request -> request.bucket(BUCKET).key("async.bin"), AsyncRequestBody.fromBytes(body))
        .join();
    var got = asyncClient.getObject(request -> request.bucket(BUCKET).key("async.bin")
        .checksumMode(ChecksumMode.ENABLED), AsyncResponseTransformer.toBytes()).join();

    assertThat(got.asByteArray()).isEqualTo(body);
    assertThat(got.response().checksumCRC32()).isEqualTo(crc32(body));
  }

  @Test
  @DisplayName("the SDK's multipart client uploads 17 MiB in 8 MiB parts and the object reads back whole, with the "
      + "COMPOSITE CRC32 of its parts")
  void multipartClientAbove8Mib() {
    byte[] body = randomBytes(17 * MIB + 5);

    multipartClient.putObject(request -> request.bucket(BUCKET).key("large.bin"), AsyncRequestBody.fromBytes(body))
        .join();
    var got = client.getObjectAsBytes(request -> request.bucket(BUCKET).key("large.bin")
        .checksumMode(ChecksumMode.ENABLED));

    assertThat(got.asByteArray()).isEqualTo(body);
    assertThat(got.response().eTag()).as("a multipart ETag names its part count").matches("\"[0-9a-f]{32}-3\"");
    CRC32 ofParts = new CRC32();
    for (int offset = 0; offset < body.length; offset += 8 * MIB) {
      ofParts.update(Base64.getDecoder().decode(crc32(Arrays.copyOfRange(body, offset,
          Math.min(offset + 8 * MIB, body.length)))));
    }
    assertThat(got.response().checksumType()).isEqualTo(ChecksumType.COMPOSITE);
    assertThat(got.response().checksumCRC32()).isEqualTo(Base64.getEncoder().encodeToString(
        ByteBuffer.allocate(4).putInt((int) ofParts.getValue()).array()) + "-3");
  }

  @Test
  @DisplayName("a FULL_OBJECT CRC32 multipart upload answers the CRC32 of the whole object")
  void fullObjectMultipart() {
    byte[] body = randomBytes(11 * MIB);
    String key = "full-object.bin";

    String uploadId = client.createMultipartUpload(request -> request.bucket(BUCKET).key(key)
        .checksumAlgorithm(ChecksumAlgorithm.CRC32).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
    List<CompletedPart> parts = uploadParts(key, uploadId, body, 5 * MIB, ChecksumAlgorithm.CRC32);
    var completed = client.completeMultipartUpload(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)
        .checksumCRC32(crc32(body)).checksumType(ChecksumType.FULL_OBJECT)
        .multipartUpload(upload -> upload.parts(parts)));
    HeadObjectResponse head = client.headObject(request -> request.bucket(BUCKET).key(key)
        .checksumMode(ChecksumMode.ENABLED));

    assertThat(completed.checksumCRC32()).isEqualTo(crc32(body));
    assertThat(head.checksumCRC32()).isEqualTo(crc32(body));
    assertThat(head.checksumType()).isEqualTo(ChecksumType.FULL_OBJECT);
    assertThat(client.getObjectAsBytes(request -> request.bucket(BUCKET).key(key)).asByteArray()).isEqualTo(body);
  }

  @Test
  @DisplayName("a COMPOSITE SHA-256 multipart upload answers the checksum of its parts' checksums, suffixed -N")
  void compositeMultipart() throws Exception {
    byte[] body = randomBytes(11 * MIB);
    String key = "composite.bin";

    String uploadId = client.createMultipartUpload(request -> request.bucket(BUCKET).key(key)
        .checksumAlgorithm(ChecksumAlgorithm.SHA256).checksumType(ChecksumType.COMPOSITE)).uploadId();
    List<CompletedPart> parts = uploadParts(key, uploadId, body, 5 * MIB, ChecksumAlgorithm.SHA256);
    client.completeMultipartUpload(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)
        .multipartUpload(upload -> upload.parts(parts)));
    HeadObjectResponse head = client.headObject(request -> request.bucket(BUCKET).key(key)
        .checksumMode(ChecksumMode.ENABLED));

    MessageDigest ofParts = MessageDigest.getInstance("SHA-256");
    for (CompletedPart part : parts) {
      ofParts.update(Base64.getDecoder().decode(part.checksumSHA256()));
    }
    assertThat(head.checksumSHA256())
        .isEqualTo(Base64.getEncoder().encodeToString(ofParts.digest()) + "-" + parts.size());
    assertThat(head.checksumType()).isEqualTo(ChecksumType.COMPOSITE);
  }

  @Test
  @DisplayName("a part checksum that CompleteMultipartUpload names wrongly is refused InvalidPart")
  void wrongPartChecksumAtCompletion() {
    byte[] body = randomBytes(6 * MIB);
    String key = "wrong-part.bin";
    String uploadId = client.createMultipartUpload(request -> request.bucket(BUCKET).key(key)
        .checksumAlgorithm(ChecksumAlgorithm.CRC32)).uploadId();
    List<CompletedPart> parts = uploadParts(key, uploadId, body, 5 * MIB, ChecksumAlgorithm.CRC32);
    List<CompletedPart> misnamed = new ArrayList<>(parts);
    misnamed.set(0, parts.get(0).toBuilder().checksumCRC32(crc32(new byte[] {1})).build());

    assertThatThrownBy(() -> client.completeMultipartUpload(request -> request.bucket(BUCKET).key(key)
        .uploadId(uploadId).multipartUpload(upload -> upload.parts(misnamed))))
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidPart");
        });
    assertThatThrownBy(() -> client.headObject(request -> request.bucket(BUCKET).key(key)))
        .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
  }

  @Test
  @DisplayName("a put whose x-amz-checksum-crc32 does not match its body is refused BadDigest and stores nothing")
  void wrongChecksumHeader() {
    byte[] body = randomBytes(1000);

    assertThatThrownBy(() -> client.putObject(request -> request.bucket(BUCKET).key("wrong-header.bin")
        .checksumCRC32(crc32(new byte[] {42})), RequestBody.fromBytes(body)))
        .isInstanceOfSatisfying(S3Exception.class, e -> {
          assertThat(e.statusCode()).isEqualTo(400);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("BadDigest");
        });
    assertThatThrownBy(() -> client.getObject(request -> request.bucket(BUCKET).key("wrong-header.bin")))
        .isInstanceOf(NoSuchKeyException.class);
  }

  @Test
  @DisplayName("a presigned GET after an upload at defaults answers the object")
  void presignedGetAfterUpload() throws Exception {
    byte[] body = randomBytes(50_000);
    client.putObject(request -> request.bucket(BUCKET).key("presigned.bin"), RequestBody.fromBytes(body));

    URI url = presigner.presignGetObject(presign -> presign.signatureDuration(Duration.ofMinutes(5))
        .getObjectRequest(get -> get.bucket(BUCKET).key("presigned.bin"))).url().toURI();
    HttpResponse<byte[]> response = HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(200);
    assertThat(response.body()).isEqualTo(body);
  }

  private static List<CompletedPart> uploadParts(String key, String uploadId, byte[] body, int partSize,
                                                 ChecksumAlgorithm algorithm) {
    List<CompletedPart> parts = new ArrayList<>();
    for (int offset = 0, number = 1; offset < body.length; offset += partSize, number++) {
      int partNumber = number;
      byte[] part = Arrays.copyOfRange(body, offset, Math.min(offset + partSize, body.length));
      UploadPartResponse uploaded = client.uploadPart(request -> request.bucket(BUCKET).key(key).uploadId(uploadId)
          .partNumber(partNumber).checksumAlgorithm(algorithm), RequestBody.fromBytes(part));
      parts.add(CompletedPart.builder().partNumber(partNumber).eTag(uploaded.eTag())
          .checksumCRC32(uploaded.checksumCRC32()).checksumSHA256(uploaded.checksumSHA256()).build());
    }
    return parts;
  }

  private static String storedChecksum(ChecksumAlgorithm algorithm, String crc32, String crc32c, String sha1,
                                       String sha256, String crc64nvme) {
    return switch (algorithm) {
      case CRC32 -> crc32;
      case CRC32_C -> crc32c;
      case SHA1 -> sha1;
      case SHA256 -> sha256;
      case CRC64_NVME -> crc64nvme;
      default -> throw new IllegalArgumentException(algorithm.toString());
    };
  }

  /** The checksum computed here, without the SDK, so a value both sides got wrong the same way cannot pass. */
  private static String independentChecksum(ChecksumAlgorithm algorithm, byte[] body) {
    try {
      return switch (algorithm) {
        case CRC32 -> crc32(body);
        case CRC32_C -> crc(new CRC32C(), body);
        case SHA1 -> Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1").digest(body));
        case SHA256 -> Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        case CRC64_NVME -> Base64.getEncoder().encodeToString(
            ByteBuffer.allocate(8).putLong(Crc64NvmeReference.of(body)).array());
        default -> throw new IllegalArgumentException(algorithm.toString());
      };
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String crc32(byte[] body) {
    return crc(new CRC32(), body);
  }

  private static String crc(Checksum checksum, byte[] body) {
    checksum.update(body, 0, body.length);
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) checksum.getValue()).array());
  }

  private static byte[] randomBytes(int length) {
    byte[] bytes = new byte[length];
    new Random(length).nextBytes(bytes);
    return bytes;
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY));
  }

  /** CRC-64/NVME bit by bit, straight from its definition (reflected polynomial 0x9a6c9329ac4bc9b5). */
  private static final class Crc64NvmeReference {
    static long of(byte[] bytes) {
      long crc = -1L;
      for (byte b : bytes) {
        crc ^= b & 0xff;
        for (int bit = 0; bit < 8; bit++) {
          crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
        }
      }
      return ~crc;
    }
  }
}
