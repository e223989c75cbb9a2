package dev.boxoffice.codecs.tickets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.codecs.session.SessionTokens;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TicketTokensTest {

  private static final KeyPair KEYS = SessionTokens.generateKeyPair();
  private static final TicketClaims CLAIMS = new TicketClaims(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
      Instant.parse("2026-12-01T18:00:00Z"), Instant.parse("2026-12-02T02:00:00Z"));

  @Test
  @DisplayName("a signed ticket verifies offline with the public key alone and gives back its claims")
  void roundTrip() throws InvalidTicketTokenException {
    String token = TicketTokens.sign(CLAIMS, KEYS.getPrivate());

    assertThat(token).hasSize(TicketTokens.TOKEN_LENGTH).matches("[A-Za-z0-9_-]+");
    assertThat(TicketTokens.verify(token, KEYS.getPublic())).isEqualTo(CLAIMS);
  }

  @Test
  @DisplayName("the same claims and key always give the same token, so re-rendering a QR code changes nothing")
  void deterministic() {
    assertThat(TicketTokens.sign(CLAIMS, KEYS.getPrivate())).isEqualTo(TicketTokens.sign(CLAIMS, KEYS.getPrivate()));
  }

  @Test
  @DisplayName("a token signed by another key is refused")
  void foreignKey() {
    String forged = TicketTokens.sign(CLAIMS, SessionTokens.generateKeyPair().getPrivate());

    assertThatThrownBy(() -> TicketTokens.verify(forged, KEYS.getPublic()))
        .isInstanceOf(InvalidTicketTokenException.class).hasMessage("bad signature");
  }

  @Test
  @DisplayName("changing any byte of the payload, say the ticket type, breaks the signature")
  void tampered() {
    byte[] bytes = Base64.getUrlDecoder().decode(TicketTokens.sign(CLAIMS, KEYS.getPrivate()));
    bytes[40] ^= 1;
    String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

    assertThatThrownBy(() -> TicketTokens.verify(tampered, KEYS.getPublic()))
        .isInstanceOf(InvalidTicketTokenException.class).hasMessage("bad signature");
  }

  @Test
  @DisplayName("text that is not a ticket token (empty, truncated, a URL, a session JWT) is refused, not crashed on")
  void malformed() {
    String token = TicketTokens.sign(CLAIMS, KEYS.getPrivate());
    for (String text : new String[] {null, "", token.substring(1), token + "A", "https://example.test/?t=1",
        token.replace(token.charAt(0), '.')}) {
      assertThatThrownBy(() -> TicketTokens.verify(text, KEYS.getPublic()))
          .isInstanceOf(InvalidTicketTokenException.class);
    }
  }

  @Test
  @DisplayName("a ticket admits from validFrom inclusive to validUntil exclusive")
  void validity() {
    assertThat(CLAIMS.isValidAt(CLAIMS.validFrom())).isTrue();
    assertThat(CLAIMS.isValidAt(CLAIMS.validFrom().minusSeconds(1))).isFalse();
    assertThat(CLAIMS.isValidAt(CLAIMS.validUntil().minusSeconds(1))).isTrue();
    assertThat(CLAIMS.isValidAt(CLAIMS.validUntil())).isFalse();
  }

  @Test
  @DisplayName("claims whose validity ends before it starts cannot exist")
  void invertedValidity() {
    assertThatThrownBy(() -> new TicketClaims(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
        CLAIMS.validUntil(), CLAIMS.validFrom())).isInstanceOf(IllegalArgumentException.class);
  }
}
