package dev.boxoffice.lambdas;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.NotFoundException;
import com.google.zxing.ChecksumException;
import com.google.zxing.FormatException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;

/** Decodes a QR code PNG the way a door scanner would, with ZXing core only. */
final class QrCodeReader {

  private QrCodeReader() {
  }

  static String decode(byte[] png) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    try {
      return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(
          new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels)))).getText();
    } catch (NotFoundException | ChecksumException | FormatException e) {
      throw new AssertionError("the PNG holds no readable QR code", e);
    }
  }
}
