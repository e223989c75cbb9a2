package dev.boxoffice.lambdas;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.ChecksumException;
import com.google.zxing.EncodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.NotFoundException;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.Decoder;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.detector.Detector;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Renders text as a QR code PNG (ZXing core for the matrix, a one-bit greyscale PNG written here); same text, same
 * bytes. docs/performance.md ("QR codes") has what each step costs and why it is written this way.
 */
final class QrCodes {

  private static final int PIXELS_PER_MODULE = 8;
  private static final int QUIET_ZONE_MODULES = 4;
  private static final int MASK_PATTERNS = 8;
  /** zlib's default level: 0.5 ms a code here, where its best compression (9) took 6 ms for a few percent less. */
  private static final int DEFLATE_LEVEL = 6;
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  private QrCodes() {
  }

  /**
   * The PNG of {@code text}. ZXing's encoder picks the mask pattern by the standard's penalty score alone, and about
   * one code in a hundred then comes out with data that ZXing's own camera-oriented detector (which door-scanner apps
   * build on) cannot find the finder patterns of, even in a perfect image. Each code is therefore read back the way
   * such a scanner reads it, and if it cannot be, rendered with the first of the eight masks that can.
   */
  static byte[] png(String text) {
    BitMatrix chosen = matrix(text, null);
    for (int mask = 0; mask < MASK_PATTERNS && !readable(chosen, text); mask++) {
      BitMatrix masked = matrix(text, mask);
      if (readable(masked, text)) {
        chosen = masked;
      }
    }
    return png(chosen);
  }

  /** The code's modules, quiet zone included, one bit each; the encoder's mask unless {@code maskPattern} is given. */
  static BitMatrix matrix(String text, Integer maskPattern) {
    Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
    hints.put(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M);
    hints.put(EncodeHintType.MARGIN, QUIET_ZONE_MODULES);
    if (maskPattern != null) {
      hints.put(EncodeHintType.QR_MASK_PATTERN, maskPattern);
    }
    try {
      return new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0, hints);
    } catch (WriterException e) {
      throw new IllegalArgumentException("text does not fit a QR code", e);
    }
  }

  /**
   * Whether ZXing's general detector (no hint that the image is a clean, computer-made code) reads {@code text} from
   * the PNG's pixels. {@code QRCodeReader} would binarize the image first; for this image that step is the identity
   * (every module is an 8×8 block of pure black or white, aligned with HybridBinarizer's 8×8 blocks, so each pixel's
   * threshold lies strictly between 0 and 255), so the detector and decoder run on the pixels directly.
   * {@code QrCodesTest} reads the PNG itself with the full reader.
   */
  static boolean readable(BitMatrix modules, String text) {
    try {
      return text.equals(new Decoder().decode(new Detector(pixels(modules)).detect().getBits()).getText());
    } catch (NotFoundException | ChecksumException | FormatException unreadable) {
      return false;
    }
  }

  /** The image as the PNG has it, one bit per pixel, set where the pixel is dark. */
  private static BitMatrix pixels(BitMatrix modules) {
    BitMatrix pixels = new BitMatrix(modules.getWidth() * PIXELS_PER_MODULE, modules.getHeight() * PIXELS_PER_MODULE);
    for (int y = 0; y < modules.getHeight(); y++) {
      for (int x = 0; x < modules.getWidth(); x++) {
        if (modules.get(x, y)) {
          pixels.setRegion(x * PIXELS_PER_MODULE, y * PIXELS_PER_MODULE, PIXELS_PER_MODULE, PIXELS_PER_MODULE);
        }
      }
    }
    return pixels;
  }

  /**
   * A one-bit greyscale PNG (dark 0, light 1), rows unfiltered. A row of pixels is its row of modules with each bit
   * repeated eight times, one byte per module, and each such row is written eight times.
   */
  static byte[] png(BitMatrix modules) {
    int size = modules.getWidth() * PIXELS_PER_MODULE;
    int rowBytes = modules.getWidth();
    byte[] raw = new byte[(rowBytes + 1) * size];
    for (int moduleY = 0; moduleY < modules.getHeight(); moduleY++) {
      int first = moduleY * PIXELS_PER_MODULE * (rowBytes + 1);
      for (int x = 0; x < modules.getWidth(); x++) {
        raw[first + 1 + x] = modules.get(x, moduleY) ? 0 : (byte) 0xff;
      }
      for (int copy = 1; copy < PIXELS_PER_MODULE; copy++) {
        System.arraycopy(raw, first, raw, first + copy * (rowBytes + 1), rowBytes + 1);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream(4096);
    png.writeBytes(PNG_SIGNATURE);
    chunk(png, "IHDR", ByteBuffer.allocate(13).putInt(size).putInt(size)
        .put((byte) 1).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array());
    chunk(png, "IDAT", deflate(raw));
    chunk(png, "IEND", new byte[0]);
    return png.toByteArray();
  }

  private static byte[] deflate(byte[] raw) {
    Deflater deflater = new Deflater(DEFLATE_LEVEL);
    try {
      deflater.setInput(raw);
      deflater.finish();
      ByteArrayOutputStream compressed = new ByteArrayOutputStream(4096);
      byte[] buffer = new byte[4096];
      while (!deflater.finished()) {
        compressed.write(buffer, 0, deflater.deflate(buffer));
      }
      return compressed.toByteArray();
    } finally {
      deflater.end();
    }
  }

  private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    png.writeBytes(typeBytes);
    png.writeBytes(data);
    png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
