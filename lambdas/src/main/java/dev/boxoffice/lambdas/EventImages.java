package dev.boxoffice.lambdas;

import com.twelvemonkeys.imageio.plugins.webp.WebPImageReaderSpi;
import dev.boxoffice.codecs.ErrorBody;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * Turns an uploaded event image into what we serve: the format recognised by its magic bytes (JPEG, PNG, WebP),
 * dimensions checked from the header before a pixel is decoded (the decompression-bomb guard), then decoded, scaled
 * to fit {@value #MAX_SIDE} px and {@value #THUMBNAIL_SIDE} px, and re-encoded as JPEG, which drops every metadata
 * segment (EXIF, GPS, comments) of the upload.
 */
final class EventImages {

  static final int MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
  static final int MAX_INPUT_SIDE = 10_000;
  static final long MAX_INPUT_PIXELS = 40_000_000L;
  static final int MAX_SIDE = 2048;
  static final int THUMBNAIL_SIDE = 400;

  private static final float JPEG_QUALITY = 0.85f;
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  static {
    ImageIO.setUseCache(false);
    // Registered by hand: the Lambda runtime's class loader is not the one ImageIO scans for plugins.
    IIORegistry.getDefaultInstance().registerServiceProvider(new WebPImageReaderSpi());
  }

  enum Format { JPEG, PNG, WEBP }

  /** The re-encoded image and its thumbnail, both JPEG. */
  record Processed(byte[] image, byte[] thumbnail) {
  }

  private EventImages() {
  }

  static Format formatOf(byte[] bytes) {
    if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8 && (bytes[2] & 0xff) == 0xff) {
      return Format.JPEG;
    }
    if (bytes.length >= 8 && Arrays.equals(bytes, 0, 8, PNG_SIGNATURE, 0, 8)) {
      return Format.PNG;
    }
    if (bytes.length >= 12 && bytes[0] == 'R' && bytes[1] == 'I' && bytes[2] == 'F' && bytes[3] == 'F'
        && bytes[8] == 'W' && bytes[9] == 'E' && bytes[10] == 'B' && bytes[11] == 'P') {
      return Format.WEBP;
    }
    throw new ApiException(415, ErrorBody.of("unsupported_image", "The body is not a JPEG, PNG or WebP image"));
  }

  static Processed process(byte[] upload) {
    Format format = formatOf(upload);
    BufferedImage decoded = decode(upload, format);
    BufferedImage image = scaleToFit(decoded, MAX_SIDE);
    return new Processed(jpeg(image), jpeg(scaleToFit(image, THUMBNAIL_SIDE)));
  }

  private static BufferedImage decode(byte[] upload, Format format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.name().toLowerCase(Locale.ROOT));
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + format);
    }
    ImageReader reader = readers.next();
    try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(upload))) {
      reader.setInput(input, true, true);
      int width = reader.getWidth(0);
      int height = reader.getHeight(0);
      if (width <= 0 || height <= 0 || width > MAX_INPUT_SIDE || height > MAX_INPUT_SIDE
          || (long) width * height > MAX_INPUT_PIXELS) {
        throw ApiException.badRequest("image_too_large", "The image is " + width + "×" + height
            + " px; at most " + MAX_INPUT_SIDE + " px per side and " + MAX_INPUT_PIXELS / 1_000_000
            + " megapixels are accepted", null);
      }
      ImageReadParam param = reader.getDefaultReadParam();
      // Decoding every n-th pixel keeps memory near the output size for large uploads.
      int step = Math.max(1, Math.max(width, height) / MAX_SIDE);
      param.setSourceSubsampling(step, step, 0, 0);
      return reader.read(0, param);
    } catch (ApiException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw ApiException.badRequest("unreadable_image", "The " + format + " image cannot be decoded", null);
    } finally {
      reader.dispose();
    }
  }

  private static BufferedImage scaleToFit(BufferedImage source, int maxSide) {
    BufferedImage current = opaque(source);
    int targetWidth = current.getWidth();
    int targetHeight = current.getHeight();
    int longest = Math.max(targetWidth, targetHeight);
    if (longest > maxSide) {
      targetWidth = Math.max(1, (int) Math.round((double) targetWidth * maxSide / longest));
      targetHeight = Math.max(1, (int) Math.round((double) targetHeight * maxSide / longest));
    }
    // Halving step by step keeps bilinear scaling from skipping pixels on large reductions.
    while (current.getWidth() / 2 >= targetWidth && current.getHeight() / 2 >= targetHeight) {
      current = resize(current, current.getWidth() / 2, current.getHeight() / 2);
    }
    if (current.getWidth() != targetWidth || current.getHeight() != targetHeight) {
      current = resize(current, targetWidth, targetHeight);
    }
    return current;
  }

  /** A copy in TYPE_INT_RGB, transparency flattened onto white, which is what the JPEG writer takes. */
  private static BufferedImage opaque(BufferedImage source) {
    if (source.getType() == BufferedImage.TYPE_INT_RGB) {
      return source;
    }
    BufferedImage rgb = new BufferedImage(source.getWidth(), source.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = rgb.createGraphics();
    try {
      graphics.setColor(Color.WHITE);
      graphics.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
      graphics.drawImage(source, 0, 0, null);
    } finally {
      graphics.dispose();
    }
    return rgb;
  }

  private static BufferedImage resize(BufferedImage source, int width, int height) {
    BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = target.createGraphics();
    try {
      graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      graphics.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      graphics.drawImage(source, 0, 0, width, height, null);
    } finally {
      graphics.dispose();
    }
    return target;
  }

  private static byte[] jpeg(BufferedImage image) {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream output = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(output);
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(JPEG_QUALITY);
      writer.write(null, new IIOImage(image, null, null), param);
    } catch (IOException e) {
      throw new IllegalStateException("JPEG encoding failed", e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }
}
