package dev.boxoffice.lambdas;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Real images and hostile ones, made in memory for the upload tests. */
final class TestImages {

  /** A 1×1 lossy WebP (VP8). */
  static final byte[] WEBP_LOSSY = Base64.getDecoder().decode("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA");
  /** A 1×1 lossless WebP (VP8L). */
  static final byte[] WEBP_LOSSLESS = Base64.getDecoder().decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==");

  private TestImages() {
  }

  static BufferedImage gradient(int width, int height, int type) {
    BufferedImage image = new BufferedImage(width, height, type);
    Graphics2D graphics = image.createGraphics();
    graphics.setPaint(new GradientPaint(0, 0, new Color(200, 30, 30, 255), width, height, new Color(20, 40, 220, 128)));
    graphics.fillRect(0, 0, width, height);
    graphics.dispose();
    return image;
  }

  static byte[] encode(BufferedImage image, String format) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, format, bytes)) {
        throw new IllegalStateException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A JPEG with an EXIF segment carrying {@code secret}, as phone cameras write GPS positions. */
  static byte[] jpegWithExif(int width, int height, String secret) {
    byte[] jpeg = encode(gradient(width, height, BufferedImage.TYPE_INT_RGB), "jpeg");
    byte[] payload = ("Exif\0\0" + secret).getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer withExif = ByteBuffer.allocate(jpeg.length + 4 + payload.length);
    withExif.put(jpeg, 0, 2).put((byte) 0xff).put((byte) 0xe1).putShort((short) (payload.length + 2)).put(payload)
        .put(jpeg, 2, jpeg.length - 2);
    return withExif.array();
  }

  /** A tiny real PNG whose IHDR claims {@code width}×{@code height} (CRC fixed up), the classic decompression bomb. */
  static byte[] pngClaiming(int width, int height) {
    byte[] png = encode(gradient(4, 4, BufferedImage.TYPE_INT_RGB), "png");
    ByteBuffer buffer = ByteBuffer.wrap(png);
    buffer.putInt(16, width).putInt(20, height);
    CRC32 crc = new CRC32();
    crc.update(png, 12, 17);
    buffer.putInt(29, (int) crc.getValue());
    return png;
  }

  /** A tiny real JPEG whose SOF0 frame header claims {@code width}×{@code height}. */
  static byte[] jpegClaiming(int width, int height) {
    byte[] jpeg = encode(gradient(8, 8, BufferedImage.TYPE_INT_RGB), "jpeg");
    for (int i = 2; i < jpeg.length - 8; i++) {
      if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xc0) {
        ByteBuffer.wrap(jpeg).putShort(i + 5, (short) height).putShort(i + 7, (short) width);
        return jpeg;
      }
    }
    throw new IllegalStateException("no SOF0 in the JPEG ImageIO wrote");
  }

  /** An extended WebP header (VP8X) declaring a {@code width}×{@code height} canvas, with no image data. */
  static byte[] webpClaiming(int width, int height) {
    ByteBuffer webp = ByteBuffer.allocate(30).order(ByteOrder.LITTLE_ENDIAN);
    webp.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(22).put("WEBP".getBytes(StandardCharsets.US_ASCII))
        .put("VP8X".getBytes(StandardCharsets.US_ASCII)).putInt(10).putInt(0);
    putUnsigned24(webp, width - 1);
    putUnsigned24(webp, height - 1);
    return webp.array();
  }

  private static void putUnsigned24(ByteBuffer buffer, int value) {
    buffer.put((byte) value).put((byte) (value >> 8)).put((byte) (value >> 16));
  }
}
