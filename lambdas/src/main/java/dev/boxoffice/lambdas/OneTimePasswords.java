package dev.boxoffice.lambdas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The one-time-password arithmetic /send-otp and /verify-otp share: six-digit codes from {@link SecureRandom}, and
 * HMAC-SHA256 under the server's pepper ({@code BOXOFFICE_OTP_PEPPER}) for both the table key of an address and the
 * salted hash of a code, so a copy of the table reveals neither addresses nor codes.
 */
final class OneTimePasswords {

  static final String PEPPER = "BOXOFFICE_OTP_PEPPER";

  private static final int MIN_PEPPER_BYTES = 32;

  private final byte[] pepper;
  private final SecureRandom random = new SecureRandom();

  OneTimePasswords(HandlerEnvironment environment) {
    this.pepper = environment.required(PEPPER).getBytes(StandardCharsets.UTF_8);
    if (pepper.length < MIN_PEPPER_BYTES) {
      throw new IllegalStateException(PEPPER + " must be at least " + MIN_PEPPER_BYTES + " bytes");
    }
  }

  /** The OTP table's key for a normalised address. */
  String emailHash(String email) {
    return HexFormat.of().formatHex(Hashing.hmacSha256(pepper, "email:" + email));
  }

  String newCode() {
    return String.format("%06d", random.nextInt(1_000_000));
  }

  String newSalt() {
    byte[] salt = new byte[16];
    random.nextBytes(salt);
    return Base64.getEncoder().encodeToString(salt);
  }

  String codeHash(String emailHash, String salt, String code) {
    return Base64.getEncoder().encodeToString(
        Hashing.hmacSha256(pepper, "code:" + salt + ":" + emailHash + ":" + code));
  }

  /** Whether {@code code} hashes to {@code expectedHash}, in time independent of where they differ. */
  boolean matches(String emailHash, String salt, String code, String expectedHash) {
    return MessageDigest.isEqual(
        codeHash(emailHash, salt, code).getBytes(StandardCharsets.US_ASCII),
        expectedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
