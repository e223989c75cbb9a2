package dev.boxoffice.local.aws.s3;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Decodes an {@code aws-chunked} body as it arrives ({@code hex-size[;chunk-signature=sig]\r\n data \r\n ...
 * 0[;chunk-signature=sig]\r\n [trailers\r\n] \r\n}), checking each chunk's signature against the previous one when the
 * chunks are signed, and the trailer signature when the trailers are. The decoded bytes go to {@code sink}.
 */
final class AwsChunkedDecoder {

  /** S3 refuses a signed chunk below 8 KiB unless it is the last. */
  private static final int MIN_SIGNED_CHUNK = 8 * 1024;
  private static final int MAX_LINE = 4 * 1024;
  private static final String TRAILER_SIGNATURE = "x-amz-trailer-signature";

  private enum State { CHUNK_HEADER, CHUNK_DATA, CHUNK_END, TRAILERS, FINAL_LINE, DONE }

  private final PayloadMode mode;
  private final SigV4.Signer signer;
  private final Consumer<Buffer> sink;
  private final Map<String, String> trailers = new LinkedHashMap<>();
  private final MessageDigest chunkDigest = SigV4.sha256();
  private State state = State.CHUNK_HEADER;
  private Buffer pending = Buffer.buffer();
  private String previousSignature;
  private String chunkSignature;
  private String trailerSignature;
  private long remainingInChunk;
  private long lastChunkSize = -1;
  private long decodedLength;

  AwsChunkedDecoder(PayloadMode mode, SigV4.Signer signer, Consumer<Buffer> sink) {
    this.mode = mode;
    this.signer = signer;
    this.sink = sink;
    this.previousSignature = signer.seedSignature();
  }

  /** Decodes the next bytes of the body; throws the {@link S3Error} S3 answers for a malformed or forged chunk. */
  void feed(Buffer data) {
    Buffer input = pending.length() == 0 ? data : pending.appendBuffer(data);
    pending = Buffer.buffer();
    int position = 0;
    while (position < input.length() && state != State.DONE) {
      int consumed = switch (state) {
        case CHUNK_HEADER, TRAILERS, FINAL_LINE -> readLine(input, position);
        case CHUNK_DATA -> readData(input, position);
        case CHUNK_END -> readChunkEnd(input, position);
        case DONE -> 0;
      };
      if (consumed == 0) {
        pending = input.getBuffer(position, input.length());
        return;
      }
      position += consumed;
    }
    if (position < input.length()) {
      throw S3Error.malformedTrailer();
    }
  }

  /** Ends the body: it must have reached its final chunk and, in a trailer mode, its trailers. */
  void finish() {
    if (state == State.TRAILERS && pending.length() == 0 && !trailers.isEmpty()) {
      endTrailers();
    }
    if (state != State.DONE) {
      throw S3Error.incompleteBody();
    }
  }

  long decodedLength() {
    return decodedLength;
  }

  /** The trailing headers, names in lower case, signature excluded. */
  Map<String, String> trailers() {
    return trailers;
  }

  private int readLine(Buffer input, int position) {
    int end = indexOfCrlf(input, position);
    if (end < 0) {
      if (input.length() - position > MAX_LINE) {
        throw S3Error.incompleteBody();
      }
      return 0;
    }
    String line = input.getString(position, end, StandardCharsets.ISO_8859_1.name());
    switch (state) {
      case CHUNK_HEADER -> chunkHeader(line);
      case TRAILERS -> trailer(line);
      default -> {
        if (!line.isEmpty()) {
          throw S3Error.malformedTrailer();
        }
        state = State.DONE;
      }
    }
    return end + 2 - position;
  }

  private void chunkHeader(String line) {
    int semicolon = line.indexOf(';');
    long size;
    try {
      size = Long.parseLong(semicolon < 0 ? line.trim() : line.substring(0, semicolon).trim(), 16);
    } catch (NumberFormatException e) {
      throw S3Error.incompleteBody();
    }
    chunkSignature = null;
    if (semicolon >= 0) {
      String extension = line.substring(semicolon + 1).trim();
      if (extension.startsWith("chunk-signature=")) {
        chunkSignature = extension.substring("chunk-signature=".length());
      }
    }
    if (mode.signedChunks()) {
      if (chunkSignature == null) {
        throw S3Error.signatureDoesNotMatch();
      }
      if (size > 0 && lastChunkSize >= 0 && lastChunkSize < MIN_SIGNED_CHUNK) {
        throw new S3Error(400, "InvalidChunkSizeError",
            "Only the last chunk is allowed to have a size less than 8192 bytes");
      }
    }
    lastChunkSize = size;
    chunkDigest.reset();
    remainingInChunk = size;
    if (size == 0) {
      verifyChunk();
      state = mode.trailer() ? State.TRAILERS : State.FINAL_LINE;
    } else {
      state = State.CHUNK_DATA;
    }
  }

  private int readData(Buffer input, int position) {
    int length = (int) Math.min(remainingInChunk, input.length() - position);
    Buffer data = input.getBuffer(position, position + length);
    if (mode.signedChunks()) {
      chunkDigest.update(data.getBytes());
    }
    decodedLength += length;
    remainingInChunk -= length;
    sink.accept(data);
    if (remainingInChunk == 0) {
      verifyChunk();
      state = State.CHUNK_END;
    }
    return length;
  }

  private int readChunkEnd(Buffer input, int position) {
    if (input.length() - position < 2) {
      return 0;
    }
    if (input.getByte(position) != '\r' || input.getByte(position + 1) != '\n') {
      throw S3Error.incompleteBody();
    }
    state = State.CHUNK_HEADER;
    return 2;
  }

  private void verifyChunk() {
    if (!mode.signedChunks()) {
      return;
    }
    String expected = signer.chunkSignature(previousSignature, SigV4.hex(chunkDigest.digest()));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        chunkSignature.getBytes(StandardCharsets.US_ASCII))) {
      throw S3Error.signatureDoesNotMatch();
    }
    previousSignature = expected;
  }

  private void trailer(String line) {
    if (line.isEmpty()) {
      endTrailers();
      return;
    }
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw S3Error.malformedTrailer();
    }
    String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String value = line.substring(colon + 1).trim();
    if (name.equals(TRAILER_SIGNATURE)) {
      trailerSignature = value;
    } else {
      trailers.put(name, value);
    }
  }

  private void endTrailers() {
    if (mode == PayloadMode.STREAMING_SIGNED_TRAILER) {
      StringBuilder canonical = new StringBuilder();
      trailers.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
      String expected = signer.trailerSignature(previousSignature, canonical.toString());
      if (trailerSignature == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
          trailerSignature.getBytes(StandardCharsets.US_ASCII))) {
        throw S3Error.signatureDoesNotMatch();
      }
    }
    state = State.DONE;
  }

  private static int indexOfCrlf(Buffer input, int from) {
    for (int i = from; i + 1 < input.length(); i++) {
      if (input.getByte(i) == '\r' && input.getByte(i + 1) == '\n') {
        return i;
      }
    }
    return -1;
  }
}
