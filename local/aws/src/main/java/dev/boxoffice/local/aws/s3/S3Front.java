package dev.boxoffice.local.aws.s3;

import dev.boxoffice.local.aws.UnreadableRequest;
import dev.boxoffice.local.aws.UriEncoding;
import dev.boxoffice.local.aws.iam.Decision;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.iam.Principal;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local S3 endpoint clients talk to, in front of S3Proxy: it authenticates every request with SigV4 (header,
 * presigned URL, signed chunks and trailers), reads upload bodies whole through {@link UploadIntake} so that a body
 * whose signature, length or checksum is wrong is refused before anything is stored, and forwards what passes to
 * S3Proxy on a loopback port of its own with a plain body and its checksum as a header, which S3Proxy stores and
 * answers with. S3Proxy implements the S3 API itself. Here the caller's access key and the request's bucket, key and
 * operation are known together, so this is where the local IAM decides: a call its caller's policies (and the bucket
 * policy) do not allow is answered 403 AccessDenied, and, as S3 does, a GetObject or HeadObject of a missing key is
 * answered 403 rather than 404 to a caller who may not list the bucket.
 *
 * <p>Longer than most classes on purpose: authentication, the IAM decision and forwarding need the same parsed
 * request (bucket, key, operation, signature kind), so they stay together; the body checks are in UploadIntake.
 */
final class S3Front extends VerticleBase {

  /** S3's documented limit on the request header, which here includes the request line. */
  static final int MAX_HEADER_SECTION = 8 * 1024;
  private static final int MAX_KEY_BYTES = 1024;
  private static final int MAX_USER_METADATA_BYTES = 2 * 1024;
  private static final String USER_METADATA = "x-amz-meta-";
  private static final Logger LOG = LoggerFactory.getLogger(S3Front.class);
  /** Hop-by-hop, authentication and body-framing headers that describe the client's request, not the forwarded one. */
  private static final Set<String> NOT_FORWARDED = Set.of("authorization", "host", "connection", "keep-alive",
      "upgrade", "http2-settings", "te", "transfer-encoding", "expect", "content-length", "x-amz-content-sha256",
      "x-amz-decoded-content-length", "x-amz-trailer", "x-amz-security-token", "x-amz-mp-object-size");
  private static final Set<String> NOT_RELAYED = Set.of("connection", "keep-alive", "transfer-encoding");

  private final SigV4 sigV4;
  private final LocalIam iam;
  private final int port;
  private final int backendPort;
  private final Path spoolDirectory;
  private final MultipartParts multipartParts = new MultipartParts();
  private HttpServer server;
  private HttpClient backend;

  S3Front(SigV4 sigV4, LocalIam iam, int port, int backendPort, Path spoolDirectory) {
    this.sigV4 = sigV4;
    this.iam = iam;
    this.port = port;
    this.backendPort = backendPort;
    this.spoolDirectory = spoolDirectory;
  }

  @Override
  public Future<?> start() {
    backend = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(backendPort)
        .setKeepAlive(true), new PoolOptions().setHttp1MaxSize(32));
    server = vertx.createHttpServer(new HttpServerOptions()
            .setHttp2ClearTextEnabled(false)
            .setMaxInitialLineLength(MAX_HEADER_SECTION)
            .setMaxHeaderSize(MAX_HEADER_SECTION))
        .requestHandler(this::handle)
        .invalidRequestHandler(this::refuseUnreadable);
    return server.listen(port, "127.0.0.1");
  }

  int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest request) {
    request.pause();
    String requestId = newRequestId();
    try {
      Target target = Target.of(request);
      SigV4.Signer signer = sigV4.verify(request);
      Map<String, List<String>> query = UriEncoding.parse(request.query());
      Principal caller = signer.principal();
      checkSessionToken(caller, request, query);
      checkUserMetadata(request);
      S3Operation operation = S3Operation.of(request, target.bucket(), target.key(), query);
      authorize(caller, operation.action(), operation.resourceArn(), operation.conditionKeys(query));
      String copySource = request.getHeader("x-amz-copy-source");
      if (copySource != null && request.method() == HttpMethod.PUT) {
        authorize(caller, "s3:GetObject", S3Operation.copySourceArn(copySource), Map.of());
      }
      boolean hidesMissingKeys = operation.readsObject()
          && !iam.authorize(caller, "s3:ListBucket", operation.bucketArn()).allowed();
      String uploadId = query.containsKey("uploadId") ? UriEncoding.first(query, "uploadId") : null;
      if (request.method() != HttpMethod.PUT && request.method() != HttpMethod.POST) {
        relay(request, requestId, hidesMissingKeys, forward(request, Optional.empty()).onSuccess(response -> {
          if (request.method() == HttpMethod.DELETE && uploadId != null && response.statusCode() == 204) {
            multipartParts.forget(uploadId);
          }
        }));
        return;
      }
      boolean completesUpload = request.method() == HttpMethod.POST && uploadId != null;
      boolean uploadsPart = request.method() == HttpMethod.PUT && uploadId != null && query.containsKey("partNumber");
      Optional<FlexibleChecksum> defaultChecksum = target.isPutObject(request, query)
          ? Optional.of(FlexibleChecksum.CRC64NVME) : Optional.empty();
      Future<HttpClientResponse> answer = UploadIntake.read(vertx, spoolDirectory, request, signer, !completesUpload,
              defaultChecksum)
          .compose(verified -> {
            if (operation.deletesObjects()) {
              try {
                operation.deletedObjectArns(verified.body().inMemory().orElse(Buffer.buffer()))
                    .forEach(deleted -> authorize(caller, "s3:DeleteObject", deleted, Map.of()));
              } catch (S3Error denied) {
                verified.body().discard();
                return Future.failedFuture(denied);
              }
            }
            if (completesUpload) {
              multipartParts.checkCompletion(uploadId, verified.body().inMemory().orElse(Buffer.buffer()),
                  request.getHeader("x-amz-mp-object-size"));
            }
            return forward(request, Optional.of(verified))
                .onSuccess(response -> {
                  if (uploadsPart && response.statusCode() == 200) {
                    multipartParts.uploaded(uploadId, UriEncoding.first(query, "partNumber"), verified);
                  } else if (completesUpload && response.statusCode() == 200) {
                    multipartParts.forget(uploadId);
                  }
                })
                .onComplete(forwarded -> verified.body().discard());
          });
      relay(request, requestId, false, answer);
    } catch (S3Error refused) {
      refuse(request, requestId, refused);
    }
  }

  private Future<HttpClientResponse> forward(HttpServerRequest request, Optional<UploadIntake.Verified> upload) {
    RequestOptions options = new RequestOptions().setMethod(request.method()).setURI(forwardedUri(request));
    return backend.request(options).compose(forwarded -> {
      request.headers().forEach((name, value) -> {
        if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
          forwarded.headers().add(name, value);
        }
      });
      withoutAwsChunked(request.getHeader(HttpHeaders.CONTENT_ENCODING)).ifPresentOrElse(
          encoding -> forwarded.putHeader(HttpHeaders.CONTENT_ENCODING, encoding),
          () -> forwarded.headers().remove(HttpHeaders.CONTENT_ENCODING));
      if (upload.isEmpty()) {
        return forwarded.send();
      }
      UploadIntake.Verified verified = upload.get();
      verified.checksum().ifPresent(checksum -> forwarded.putHeader(checksum.header(), verified.checksumValue()));
      return verified.body().sendTo(forwarded);
    });
  }

  /**
   * Relays S3Proxy's answer.
   *
   * @param hidesMissingKeys whether a 404 must become the 403 S3 answers a caller without s3:ListBucket
   */
  private void relay(HttpServerRequest request, String requestId, boolean hidesMissingKeys,
                     Future<HttpClientResponse> answer) {
    answer.onSuccess(response -> {
      if (hidesMissingKeys && response.statusCode() == 404) {
        response.body().onComplete(discarded -> refuse(request, requestId, S3Error.accessDenied("Access Denied")));
        return;
      }
      if (response.statusCode() >= 400) {
        LOG.debug("S3Proxy answered {} to {} {}", response.statusCode(), request.method(), request.uri());
      }
      HttpServerResponse relayed = request.response().setStatusCode(response.statusCode());
      response.headers().forEach((name, value) -> {
        if (!NOT_RELAYED.contains(name.toLowerCase(Locale.ROOT))) {
          relayed.headers().add(name, value);
        }
      });
      if (!relayed.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
        relayed.setChunked(true);
      }
      response.pipeTo(relayed);
    }).onFailure(failure -> {
      if (failure instanceof S3Error refused) {
        refuse(request, requestId, refused);
      } else {
        LOG.warn("S3Proxy did not answer {} {}", request.method(), request.uri(), failure);
        refuse(request, requestId, new S3Error(500, "InternalError",
            "We encountered an internal error. Please try again."));
      }
    });
  }

  private void refuse(HttpServerRequest request, String requestId, S3Error error) {
    HttpServerResponse response = request.response();
    if (response.headWritten()) {
      request.connection().close();
      return;
    }
    response.setStatusCode(error.status()).putHeader("x-amz-request-id", requestId);
    if (!request.isEnded()) {
      request.handler(ignored -> { }).resume();
    }
    if (request.method() == HttpMethod.HEAD) {
      response.end();
      return;
    }
    response.putHeader(HttpHeaders.CONTENT_TYPE, "application/xml").end(error.toXml(requestId));
  }

  private void authorize(Principal caller, String action, String resourceArn, Map<String, String> conditionKeys) {
    Decision decision = iam.authorize(caller, action, resourceArn, conditionKeys);
    if (!decision.allowed()) {
      throw S3Error.accessDenied(decision.message(true));
    }
  }

  /** A role session's temporary key is valid only with its own token, sent as a header or in a presigned URL. */
  private static void checkSessionToken(Principal caller, HttpServerRequest request,
                                        Map<String, List<String>> query) {
    String token = request.getHeader("x-amz-security-token");
    if (token == null && query.containsKey("X-Amz-Security-Token")) {
      token = UriEncoding.first(query, "X-Amz-Security-Token");
    }
    String expected = caller.key().sessionToken();
    if (expected != null && token == null) {
      throw new S3Error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our "
          + "records.", S3Error.details("AWSAccessKeyId", caller.key().accessKeyId()));
    }
    if (token != null && (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8)))) {
      throw new S3Error(400, "InvalidToken", "The provided token is malformed or otherwise invalid.");
    }
  }

  /** A request line or header section over S3's 8 KB, which Netty refused to parse, answered as S3 does. */
  private void refuseUnreadable(HttpServerRequest request) {
    S3Error error = UnreadableRequest.of(request) != UnreadableRequest.MALFORMED
        ? new S3Error(400, "RequestHeaderSectionTooLarge",
            "Your request header section exceeds the maximum allowed size.",
            S3Error.details("MaxSizeAllowed", String.valueOf(MAX_HEADER_SECTION)))
        : new S3Error(400, "InvalidRequest", "The request could not be parsed as HTTP.");
    String requestId = newRequestId();
    request.response().setStatusCode(error.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/xml")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .putHeader("x-amz-request-id", requestId)
        .end(error.toXml(requestId))
        .onComplete(written -> request.connection().close());
  }

  private static void checkUserMetadata(HttpServerRequest request) {
    int size = request.headers().entries().stream()
        .filter(header -> header.getKey().toLowerCase(Locale.ROOT).startsWith(USER_METADATA))
        .mapToInt(header -> header.getKey().length() - USER_METADATA.length()
            + header.getValue().getBytes(StandardCharsets.UTF_8).length)
        .sum();
    if (size > MAX_USER_METADATA_BYTES) {
      throw new S3Error(400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.",
          S3Error.details("Size", String.valueOf(size),
              "MaxSizeAllowed", String.valueOf(MAX_USER_METADATA_BYTES)));
    }
  }

  /** The path and query for S3Proxy: the client's, less a presigned URL's signature parameters. */
  private static String forwardedUri(HttpServerRequest request) {
    String query = request.query();
    if (query == null || query.isEmpty()) {
      return request.path();
    }
    String kept = Arrays.stream(query.split("&"))
        .filter(pair -> !SigV4.PRESIGN_PARAMETERS.contains(UriEncoding.decode(pair.split("=", 2)[0])))
        .collect(Collectors.joining("&"));
    return kept.isEmpty() ? request.path() : request.path() + "?" + kept;
  }

  private static Optional<String> withoutAwsChunked(String contentEncoding) {
    if (contentEncoding == null) {
      return Optional.empty();
    }
    String kept = Arrays.stream(contentEncoding.split(","))
        .map(String::trim)
        .filter(encoding -> !encoding.isEmpty() && !encoding.equalsIgnoreCase("aws-chunked"))
        .collect(Collectors.joining(","));
    return kept.isEmpty() ? Optional.empty() : Optional.of(kept);
  }

  /** Sixteen upper-case hex digits, the form of S3's request ids. */
  private static String newRequestId() {
    return HexFormat.of().withUpperCase().formatHex(
        ByteBuffer.allocate(Long.BYTES).putLong(ThreadLocalRandom.current().nextLong()).array());
  }

  /** The bucket and key a path-style request names. */
  private record Target(String bucket, String key) {

    static Target of(HttpServerRequest request) {
      String path = UriEncoding.decode(request.path());
      String[] parts = path.substring(1).split("/", 2);
      String bucket = parts[0];
      String key = parts.length > 1 ? parts[1] : "";
      int keyBytes = key.getBytes(StandardCharsets.UTF_8).length;
      if (keyBytes > MAX_KEY_BYTES) {
        throw new S3Error(400, "KeyTooLongError", "Your key is too long",
            S3Error.details("Size", String.valueOf(keyBytes),
                "MaxSizeAllowed", String.valueOf(MAX_KEY_BYTES)));
      }
      return new Target(bucket, key);
    }

    /** A PutObject: a PUT of a key with no subresource, not a copy. */
    boolean isPutObject(HttpServerRequest request, Map<String, List<String>> query) {
      return request.method() == HttpMethod.PUT && !key.isEmpty()
          && request.getHeader("x-amz-copy-source") == null
          && query.keySet().stream().allMatch(SigV4.PRESIGN_PARAMETERS::contains);
    }
  }
}
