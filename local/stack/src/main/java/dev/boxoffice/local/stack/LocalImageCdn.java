package dev.boxoffice.local.stack;

import dev.boxoffice.local.aws.UnreadableRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * What the CloudFront distribution of {@code serverless.yaml} does in AWS: serves the event images under
 * {@code events/} of the private media bucket to browsers, read-only, and nothing else of the bucket (ticket QR codes
 * stay behind pre-signed URLs). It reads the bucket with the S3 client it is given; signing as CloudFront, which
 * the bucket policy lets read {@code events/} only, a missing image is S3's 403 (CloudFront may not list the
 * bucket), which it answers 403 as CloudFront does.
 */
final class LocalImageCdn extends VerticleBase {

  static final String PUBLIC_PREFIX = "events/";
  /** CloudFront's quotas: a URL of at most 8,192 bytes, a request of at most 20,480 bytes without its body. */
  private static final int MAX_URL = 8 * 1024;
  private static final int MAX_HEADERS = 20 * 1024;
  /** S3's longest key: a longer path cannot name an image. */
  private static final int MAX_KEY_LENGTH = 1024;

  private final S3Client s3;
  private final String bucket;
  private final int port;
  private HttpServer server;

  LocalImageCdn(S3Client s3, String bucket, int port) {
    this.s3 = s3;
    this.bucket = bucket;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(UnreadableRequest.limitedTo(MAX_URL, MAX_HEADERS))
        .requestHandler(this::serve)
        .invalidRequestHandler(request -> {
          UnreadableRequest why = UnreadableRequest.of(request);
          why.answer(request, "application/json", why.json());
        });
    return server.listen(port, "127.0.0.1");
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  private void serve(HttpServerRequest request) {
    String key = request.path().substring(1);
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      refuse(request, 405, "method_not_allowed", "Event images are read with GET or HEAD.");
      return;
    }
    if (!key.startsWith(PUBLIC_PREFIX) || key.contains("..") || key.length() > MAX_KEY_LENGTH) {
      refuse(request, 404, "not_found", "No event image at this path.");
      return;
    }
    vertx.executeBlocking(() -> fetch(key), false)
        .onSuccess(object -> {
          if (object == null) {
            refuse(request, 404, "not_found", "No event image at this path.");
            return;
          }
          request.response()
              .putHeader("Content-Type", object.response().contentType())
              .putHeader("Cache-Control", "public, max-age=31536000, immutable")
              .end(request.method() == HttpMethod.HEAD ? Buffer.buffer() : Buffer.buffer(object.asByteArray()));
        })
        .onFailure(failure -> {
          if (failure instanceof S3Exception refused && refused.statusCode() == 403) {
            refuse(request, 403, "access_denied", "The media bucket refuses this path to CloudFront.");
          } else {
            refuse(request, 502, "bad_gateway", "The media bucket did not answer.");
          }
        });
  }

  private static void refuse(HttpServerRequest request, int status, String code, String message) {
    request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(request.method() == HttpMethod.HEAD ? ""
            : new JsonObject().put("code", code).put("message", message).encode());
  }

  private ResponseBytes<GetObjectResponse> fetch(String key) {
    try {
      return s3.getObjectAsBytes(get -> get.bucket(bucket).key(key));
    } catch (NoSuchKeyException missing) {
      return null;
    }
  }
}
