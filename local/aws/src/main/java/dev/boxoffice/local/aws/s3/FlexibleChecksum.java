package dev.boxoffice.local.aws.s3;

import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/** The checksum algorithms S3 accepts in {@code x-amz-checksum-*} headers and aws-chunked trailers. */
enum FlexibleChecksum {
  CRC32(4), CRC32C(4), CRC64NVME(8), SHA1(20), SHA256(32);

  private final int length;

  FlexibleChecksum(int length) {
    this.length = length;
  }

  /** The header or trailer that carries this checksum, e.g. {@code x-amz-checksum-crc32c}. */
  String header() {
    return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
  }

  /** Whether {@code value} is the base64 of a checksum of this algorithm's length. */
  boolean isWellFormed(String value) {
    try {
      return Base64.getDecoder().decode(value).length == length;
    } catch (IllegalArgumentException notBase64) {
      return false;
    }
  }

  Running start() {
    return switch (this) {
      case CRC32 -> new OfChecksum(new CRC32(), 4);
      case CRC32C -> new OfChecksum(new CRC32C(), 4);
      case CRC64NVME -> new OfChecksum(new Crc64Nvme(), 8);
      case SHA1 -> new OfDigest("SHA-1");
      case SHA256 -> new OfDigest("SHA-256");
    };
  }

  static Optional<FlexibleChecksum> ofHeader(String headerName) {
    for (FlexibleChecksum checksum : values()) {
      if (checksum.header().equalsIgnoreCase(headerName)) {
        return Optional.of(checksum);
      }
    }
    return Optional.empty();
  }

  /** The algorithm an {@code x-amz-sdk-checksum-algorithm} value names ({@code CRC32}, {@code SHA256} ...). */
  static Optional<FlexibleChecksum> ofAlgorithmName(String name) {
    for (FlexibleChecksum checksum : values()) {
      if (checksum.name().equalsIgnoreCase(name)) {
        return Optional.of(checksum);
      }
    }
    return Optional.empty();
  }

  /** A checksum being computed over a body as it arrives. */
  interface Running {
    void update(Buffer bytes);

    /** The base64 checksum of everything seen, as S3 writes it in headers. */
    String base64();
  }

  private record OfChecksum(Checksum checksum, int length) implements Running {
    @Override
    public void update(Buffer bytes) {
      checksum.update(bytes.getBytes());
    }

    @Override
    public String base64() {
      ByteBuffer value = ByteBuffer.allocate(8).putLong(checksum.getValue());
      return Base64.getEncoder().encodeToString(Arrays.copyOfRange(value.array(), 8 - length, 8));
    }
  }

  private record OfDigest(MessageDigest digest) implements Running {
    OfDigest(String algorithm) {
      this(newDigest(algorithm));
    }

    @Override
    public void update(Buffer bytes) {
      digest.update(bytes.getBytes());
    }

    @Override
    public String base64() {
      return Base64.getEncoder().encodeToString(digest.digest());
    }

    private static MessageDigest newDigest(String algorithm) {
      try {
        return MessageDigest.getInstance(algorithm);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has " + algorithm, e);
      }
    }
  }

  /**
   * CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, initial and final value all ones), which the JDK lacks and
   * the AWS SDK for Java computes only through its native CRT library.
   */
  static final class Crc64Nvme implements Checksum {
    private static final long[] TABLE = new long[256];

    static {
      for (int i = 0; i < 256; i++) {
        long crc = i;
        for (int bit = 0; bit < 8; bit++) {
          crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
        }
        TABLE[i] = crc;
      }
    }

    private long crc = -1L;

    @Override
    public void update(int b) {
      crc = TABLE[(int) ((crc ^ b) & 0xff)] ^ (crc >>> 8);
    }

    @Override
    public void update(byte[] bytes, int offset, int length) {
      long value = crc;
      for (int i = offset; i < offset + length; i++) {
        value = TABLE[(int) ((value ^ bytes[i]) & 0xff)] ^ (value >>> 8);
      }
      crc = value;
    }

    @Override
    public long getValue() {
      return ~crc;
    }

    @Override
    public void reset() {
      crc = -1L;
    }
  }
}
