package dev.boxoffice.lambdas;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.common.BitMatrix;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QrCodesTest {

  private static final PrivateKey KEY = SessionTokens.generateKeyPair().getPrivate();

  @Test
  @DisplayName("every ticket's QR code is found by ZXing's general detector (about 1 in 100 was not, mask left to"
      + " the encoder)")
  void everyCodeIsReadable() throws Exception {
    List<String> unreadable = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      String token = token();
      try {
        assertThat(QrCodeReader.decode(QrCodes.png(token))).isEqualTo(token);
      } catch (AssertionError e) {
        unreadable.add(token);
      }
    }
    assertThat(unreadable).isEmpty();
  }

  @Test
  @DisplayName("the read-back on the PNG's pixels as a bit matrix says what the full reader says of the PNG, for"
      + " every mask: the image's binarization is the identity")
  void readBackAgreesWithTheFullReader() throws Exception {
    for (int i = 0; i < 40; i++) {
      String token = token();
      for (Integer mask : new Integer[] {null, 0, 1, 2, 3, 4, 5, 6, 7}) {
        BitMatrix modules = QrCodes.matrix(token, mask);
        String read;
        try {
          read = QrCodeReader.decode(QrCodes.png(modules));
        } catch (AssertionError unreadable) {
          read = null;
        }
        assertThat(QrCodes.readable(modules, token)).as("mask %s of %s", mask, token).isEqualTo(token.equals(read));
      }
    }
  }

  @Test
  @DisplayName("the same text gives the same bytes, so storing a ticket again changes nothing")
  void deterministic() {
    String token = token();
    assertThat(QrCodes.png(token)).isEqualTo(QrCodes.png(token));
  }

  private static String token() {
    return TicketTokens.sign(new TicketClaims(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
        Instant.parse("2026-12-01T18:00:00Z"), Instant.parse("2026-12-02T02:00:00Z")), KEY);
  }
}
