package dev.boxoffice.lambdas;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.ChecksumException;
import com.google.zxing.EncodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import javax.imageio.ImageIO;

/** Renders text as a QR code PNG (ZXing core for the matrix, ImageIO for the PNG); same text, same bytes. */
final class QrCodes {

  private static final int PIXELS_PER_MODULE = 8;
  private static final int QUIET_ZONE_MODULES = 4;
  private static final int MASK_PATTERNS = 8;

  private QrCodes() {
  }

  /**
   * The PNG of {@code text}. ZXing's encoder picks the mask pattern by the standard's penalty score alone, and about
   * one code in a hundred then comes out with data that ZXing's own camera-oriented detector (which door-scanner apps
   * build on) cannot find the finder patterns of, even in a perfect image. Each code is therefore read back the way
   * such a scanner reads it, and if it cannot be, rendered with the first of the eight masks that can.
   */
  static byte[] png(String text) {
    BufferedImage chosen = render(matrix(text, null));
    for (int mask = 0; mask < MASK_PATTERNS && !readable(chosen, text); mask++) {
      BufferedImage masked = render(matrix(text, mask));
      if (readable(masked, text)) {
        chosen = masked;
      }
    }
    return encodePng(chosen);
  }

  private static BitMatrix matrix(String text, Integer maskPattern) {
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

  private static BufferedImage render(BitMatrix matrix) {
    int size = matrix.getWidth() * PIXELS_PER_MODULE;
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        boolean dark = matrix.get(x / PIXELS_PER_MODULE, y / PIXELS_PER_MODULE);
        image.setRGB(x, y, dark ? 0xff000000 : 0xffffffff);
      }
    }
    return image;
  }

  /** Whether ZXing's general detector (no hint that the image is a clean, computer-made code) reads {@code text}. */
  static boolean readable(BufferedImage image, String text) {
    int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    try {
      return text.equals(new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
          new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)))).getText());
    } catch (NotFoundException | ChecksumException | FormatException unreadable) {
      return false;
    }
  }

  private static byte[] encodePng(BufferedImage image) {
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new IllegalStateException("PNG encoding failed", e);
    }
    return png.toByteArray();
  }
}
