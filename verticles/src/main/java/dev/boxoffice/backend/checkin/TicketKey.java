package dev.boxoffice.backend.checkin;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.codecs.session.SessionTokens;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Optional;

/** The public key that verifies ticket tokens ({@code BOXOFFICE_TICKET_PUBLIC_KEY}), when this backend has one. */
final class TicketKey {

  /** An Ed25519 key's X.509 encoding is a fixed 12-byte header, then the 32 bytes browsers import as "raw". */
  private static final int RAW_ED25519_KEY_BYTES = 32;

  private final Optional<PublicKey> key;

  /** Fails fast when {@code BOXOFFICE_TICKET_PUBLIC_KEY} is set but is not an Ed25519 public key PEM. */
  TicketKey(Config config) {
    this.key = config.serverless().ticketPublicKeyPem().map(pem -> {
      try {
        return SessionTokens.parsePublicKey(pem);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("BOXOFFICE_TICKET_PUBLIC_KEY is not an Ed25519 public key PEM", e);
      }
    });
  }

  /** The key, or {@link Refusal.CheckInUnavailable} to fail with. */
  PublicKey require() {
    return key.orElseThrow(Refusal.CheckInUnavailable::new);
  }

  /** The key's 32 bytes as RFC 8032 writes them: what WebCrypto and other Ed25519 libraries import. */
  byte[] raw() {
    byte[] encoded = require().getEncoded();
    return Arrays.copyOfRange(encoded, encoded.length - RAW_ED25519_KEY_BYTES, encoded.length);
  }
}
