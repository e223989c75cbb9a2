package dev.boxoffice.codecs.tickets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Signs and verifies the token a ticket's QR code carries, with nothing but the JDK, so the create-ticket Lambda
 * signs what the backend's check-in verifies offline with the public key alone.
 *
 * <p>Token: {@code base64url(payload || signature)} without padding, 172 characters, small enough for a QR code a
 * phone camera reads at a glance. Payload (65 bytes, big-endian): version {@code 1}, ticket id, event id, ticket type
 * id (16 bytes each), valid from and valid until (epoch seconds, 8 bytes each). Signature: Ed25519 (64 bytes) over
 * {@code "boxoffice-ticket:" || payload}; the prefix keeps a ticket signature from ever passing for another kind of
 * signed message. Ed25519 is deterministic, so the same claims and key always give the same token.
 *
 * <p>Keys are the Ed25519 PEM files of {@code dev.boxoffice.codecs.session.SessionTokens} (parse them with its
 * {@code parsePrivateKey}/{@code parsePublicKey}); use a key pair of its own for tickets.
 */
public final class TicketTokens {

  public static final int TOKEN_LENGTH = 172;

  private static final byte VERSION = 1;
  private static final int PAYLOAD_BYTES = 1 + 3 * 16 + 2 * 8;
  private static final int SIGNATURE_BYTES = 64;
  private static final byte[] DOMAIN = "boxoffice-ticket:".getBytes(StandardCharsets.US_ASCII);
  private static final String KEY_ALGORITHM = "Ed25519";
  private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{" + TOKEN_LENGTH + "}");

  private TicketTokens() {
  }

  public static String sign(TicketClaims claims, PrivateKey privateKey) {
    byte[] payload = payloadOf(claims);
    try {
      Signature signer = Signature.getInstance(KEY_ALGORITHM);
      signer.initSign(privateKey);
      signer.update(DOMAIN);
      signer.update(payload);
      byte[] signature = signer.sign();
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          ByteBuffer.allocate(PAYLOAD_BYTES + SIGNATURE_BYTES).put(payload).put(signature).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with this key; an Ed25519 private key is needed", e);
    }
  }

  /**
   * The claims of {@code token} if {@code publicKey} signed it. Whether the ticket admits now is a separate question:
   * ask {@link TicketClaims#isValidAt}.
   */
  public static TicketClaims verify(String token, PublicKey publicKey) throws InvalidTicketTokenException {
    if (token == null || !BASE64URL.matcher(token).matches()) {
      throw new InvalidTicketTokenException("not a ticket token");
    }
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(token));
    byte[] payload = new byte[PAYLOAD_BYTES];
    byte[] signature = new byte[SIGNATURE_BYTES];
    bytes.get(payload).get(signature);
    if (payload[0] != VERSION) {
      throw new InvalidTicketTokenException("unknown ticket token version " + payload[0]);
    }
    if (!signatureHolds(payload, signature, publicKey)) {
      throw new InvalidTicketTokenException("bad signature");
    }
    ByteBuffer fields = ByteBuffer.wrap(payload, 1, PAYLOAD_BYTES - 1);
    UUID ticketId = new UUID(fields.getLong(), fields.getLong());
    UUID eventId = new UUID(fields.getLong(), fields.getLong());
    UUID ticketTypeId = new UUID(fields.getLong(), fields.getLong());
    try {
      return new TicketClaims(ticketId, eventId, ticketTypeId,
          Instant.ofEpochSecond(fields.getLong()), Instant.ofEpochSecond(fields.getLong()));
    } catch (RuntimeException e) {
      throw new InvalidTicketTokenException("signed but inconsistent claims: " + e.getMessage());
    }
  }

  private static byte[] payloadOf(TicketClaims claims) {
    return ByteBuffer.allocate(PAYLOAD_BYTES)
        .put(VERSION)
        .putLong(claims.ticketId().getMostSignificantBits()).putLong(claims.ticketId().getLeastSignificantBits())
        .putLong(claims.eventId().getMostSignificantBits()).putLong(claims.eventId().getLeastSignificantBits())
        .putLong(claims.ticketTypeId().getMostSignificantBits())
        .putLong(claims.ticketTypeId().getLeastSignificantBits())
        .putLong(claims.validFrom().getEpochSecond())
        .putLong(claims.validUntil().getEpochSecond())
        .array();
  }

  private static boolean signatureHolds(byte[] payload, byte[] signature, PublicKey publicKey) {
    try {
      Signature verifier = Signature.getInstance(KEY_ALGORITHM);
      verifier.initVerify(publicKey);
      verifier.update(DOMAIN);
      verifier.update(payload);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
