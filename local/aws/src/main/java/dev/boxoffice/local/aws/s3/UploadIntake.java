package dev.boxoffice.local.aws.s3;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a request body whole and checks every integrity claim its client made before any byte of it reaches the
 * store: the signed payload hash, the aws-chunked framing with its chunk and trailer signatures, the decoded length,
 * and the {@code x-amz-checksum-*} value sent as a header or as a trailer. What passes is handed on with the
 * checksum as a plain header, the one form S3Proxy stores.
 */
final class UploadIntake {

  /** A verified body and the checksum to store with it, if any. */
  record Verified(BodySpool body, Optional<FlexibleChecksum> checksum, String checksumValue) {
  }

  private UploadIntake() {
  }

  /**
   * Reads the (paused) request's body, once its checksum claims are well-formed: only then is a client that waits
   * for {@code 100 Continue} told to send it.
   *
   * @param checksumOfBody false where the {@code x-amz-checksum-*} headers describe something else than the body
   *     (CompleteMultipartUpload: the whole object)
   * @param defaultChecksum the checksum S3 computes for an object uploaded without one, if this upload is one
   */
  static Future<Verified> read(Vertx vertx, Path spoolDirectory, HttpServerRequest request, SigV4.Signer signer,
                               boolean checksumOfBody, Optional<FlexibleChecksum> defaultChecksum) {
    PayloadMode mode = PayloadMode.of(signer.payloadHash());
    ChecksumClaim claim = checksumOfBody ? ChecksumClaim.of(request, mode) : ChecksumClaim.NONE;
    Optional<FlexibleChecksum> algorithm = claim.algorithm().or(() -> checksumOfBody ? defaultChecksum
        : Optional.empty());
    FlexibleChecksum.Running running = algorithm.map(FlexibleChecksum::start).orElse(null);
    MessageDigest payloadDigest = mode == PayloadMode.SIGNED_HASH ? SigV4.sha256() : null;
    BodySpool spool = new BodySpool(vertx, spoolDirectory, request);
    Consumer<Buffer> sink = decoded -> {
      if (running != null) {
        running.update(decoded);
      }
      spool.append(decoded);
    };
    AwsChunkedDecoder decoder = mode.chunked() ? new AwsChunkedDecoder(mode, signer, sink) : null;

    Promise<Verified> verified = Promise.promise();
    request.handler(received -> {
      if (verified.future().isComplete()) {
        return;
      }
      try {
        if (payloadDigest != null) {
          payloadDigest.update(received.getBytes());
        }
        if (decoder != null) {
          decoder.feed(received);
        } else {
          sink.accept(received);
        }
      } catch (S3Error refused) {
        verified.tryFail(refused);
      }
    });
    request.exceptionHandler(verified::tryFail);
    request.endHandler(ended -> {
      if (verified.future().isComplete()) {
        return;
      }
      try {
        if (decoder != null) {
          decoder.finish();
          checkDecodedLength(request, decoder.decodedLength());
        }
        if (payloadDigest != null) {
          checkPayloadHash(signer.payloadHash(), SigV4.hex(payloadDigest.digest()));
        }
        String value = running == null ? null : running.base64();
        if (claim.algorithm().isPresent()) {
          String claimed = claim.value(decoder == null ? Map.of() : decoder.trailers());
          if (!value.equals(claimed)) {
            throw S3Error.badDigest(claim.algorithm().get());
          }
        }
        spool.finish().map(written -> new Verified(spool, algorithm, value)).onComplete(verified);
      } catch (S3Error refused) {
        verified.tryFail(refused);
      }
    });
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue();
    }
    request.resume();
    return verified.future().onFailure(failed -> spool.discard());
  }

  private static void checkDecodedLength(HttpServerRequest request, long decodedLength) {
    String declared = request.getHeader("x-amz-decoded-content-length");
    if (declared == null) {
      throw new S3Error(411, "MissingContentLength", "You must provide the Content-Length HTTP header.");
    }
    if (!declared.equals(String.valueOf(decodedLength))) {
      throw S3Error.incompleteBody();
    }
  }

  private static void checkPayloadHash(String declared, String computed) {
    if (!declared.equalsIgnoreCase(computed)) {
      throw new S3Error(400, "XAmzContentSHA256Mismatch",
          "The provided 'x-amz-content-sha256' header does not match what was computed.",
          S3Error.details("ClientComputedContentSHA256", declared, "S3ComputedContentSHA256", computed));
    }
  }

  /** The checksum a client says its body has: in a header, in a trailer it announced, or none. */
  private record ChecksumClaim(Optional<FlexibleChecksum> algorithm, String headerValue, boolean inTrailer) {

    static final ChecksumClaim NONE = new ChecksumClaim(Optional.empty(), null, false);

    static ChecksumClaim of(HttpServerRequest request, PayloadMode mode) {
      ChecksumClaim claim = NONE;
      for (FlexibleChecksum checksum : FlexibleChecksum.values()) {
        String value = request.getHeader(checksum.header());
        if (value != null) {
          if (claim != NONE) {
            throw S3Error.invalidRequest(
                "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
          }
          if (!checksum.isWellFormed(value)) {
            throw S3Error.invalidRequest("Value for " + checksum.header() + " header is invalid.");
          }
          claim = new ChecksumClaim(Optional.of(checksum), value, false);
        }
      }
      String trailer = request.getHeader("x-amz-trailer");
      if (trailer != null) {
        FlexibleChecksum trailing = FlexibleChecksum.ofHeader(trailer.trim()).filter(ignored -> mode.trailer())
            .orElseThrow(() -> S3Error.invalidRequest(
                "The value specified in the x-amz-trailer header is not supported"));
        if (claim != NONE) {
          throw S3Error.invalidRequest(
              "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.");
        }
        claim = new ChecksumClaim(Optional.of(trailing), null, true);
      }
      String sdkAlgorithm = request.getHeader("x-amz-sdk-checksum-algorithm");
      if (sdkAlgorithm != null) {
        FlexibleChecksum named = FlexibleChecksum.ofAlgorithmName(sdkAlgorithm).orElseThrow(() ->
            S3Error.invalidRequest("Checksum algorithm provided is unsupported. Please try again with any of the "
                + "valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]"));
        if (claim.algorithm().isEmpty()) {
          throw S3Error.invalidRequest("x-amz-sdk-checksum-algorithm specified, but no corresponding "
              + "x-amz-checksum-* or x-amz-trailer headers were found.");
        }
        if (claim.algorithm().get() != named) {
          throw S3Error.badDigest(claim.algorithm().get());
        }
      }
      return claim;
    }

    String value(Map<String, String> trailers) {
      if (!inTrailer) {
        return headerValue;
      }
      String trailing = trailers.get(algorithm.orElseThrow().header());
      if (trailing == null) {
        throw S3Error.malformedTrailer();
      }
      if (!algorithm.get().isWellFormed(trailing)) {
        throw S3Error.invalidRequest("Value for " + algorithm.get().header() + " trailing header is invalid.");
      }
      return trailing;
    }
  }
}
