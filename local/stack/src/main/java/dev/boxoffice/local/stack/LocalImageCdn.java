package dev.boxoffice.local.stack;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * What the CloudFront distribution of {@code serverless.yaml} does in AWS: serves the event images under
 * {@code events/} of the private media bucket to browsers, read-only, and nothing else of the bucket (ticket QR codes
 * stay behind pre-signed URLs).
 */
final class LocalImageCdn extends VerticleBase {

  static final String PUBLIC_PREFIX = "events/";

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
    server = vertx.createHttpServer().requestHandler(this::serve);
    return server.listen(port, "127.0.0.1");
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.actualPort());
  }

  private void serve(HttpServerRequest request) {
    String key = request.path().substring(1);
    if (request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD) {
      request.response().setStatusCode(405).end();
      return;
    }
    if (!key.startsWith(PUBLIC_PREFIX) || key.contains("..")) {
      request.response().setStatusCode(404).end();
      return;
    }
    vertx.executeBlocking(() -> fetch(key), false)
        .onSuccess(object -> {
          if (object == null) {
            request.response().setStatusCode(404).end();
            return;
          }
          request.response()
              .putHeader("Content-Type", object.response().contentType())
              .putHeader("Cache-Control", "public, max-age=31536000, immutable")
              .end(request.method() == HttpMethod.HEAD ? Buffer.buffer() : Buffer.buffer(object.asByteArray()));
        })
        .onFailure(failure -> request.response().setStatusCode(502).end());
  }

  private ResponseBytes<GetObjectResponse> fetch(String key) {
    try {
      return s3.getObjectAsBytes(get -> get.bucket(bucket).key(key));
    } catch (NoSuchKeyException missing) {
      return null;
    }
  }
}
