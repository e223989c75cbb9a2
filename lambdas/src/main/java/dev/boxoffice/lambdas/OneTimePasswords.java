package dev.boxoffice.lambdas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The one-time-password arithmetic /send-otp and /verify-otp share: six-digit codes from {@link SecureRandom}, and
 * HMAC-SHA256 under the server's pepper (the keys secret's {@code otpPepper}, see {@link KeysSecret}) for both the table key of an address and the
 * salted hash of a code, so a copy of the table reveals neither addresses nor codes.
 */
final class OneTimePasswords {

  private static final int MIN_PEPPER_BYTES = 32;

  private final KeysSecret keys;
  private final SecureRandom random = new SecureRandom();

  OneTimePasswords(KeysSecret keys) {
    this.keys = keys;
    pepper();
  }

  /**
   * The current pepper, read per call so a rotated one applies (codes sent under the former pepper stop matching:
   * their buyers ask for another).
   */
  private byte[] pepper() {
    String pepper = keys.otpPepper();
    if (pepper == null || pepper.getBytes(StandardCharsets.UTF_8).length < MIN_PEPPER_BYTES) {
      throw new IllegalStateException("the keys secret's otpPepper must be at least " + MIN_PEPPER_BYTES + " bytes");
    }
    return pepper.getBytes(StandardCharsets.UTF_8);
  }

  /** The OTP table's key for a normalised address. */
  String emailHash(String email) {
    return HexFormat.of().formatHex(Hashing.hmacSha256(pepper(), "email:" + email));
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
        Hashing.hmacSha256(pepper(), "code:" + salt + ":" + emailHash + ":" + code));
  }

  /** Whether {@code code} hashes to {@code expectedHash}, in time independent of where they differ. */
  boolean matches(String emailHash, String salt, String code, String expectedHash) {
    return MessageDigest.isEqual(
        codeHash(emailHash, salt, code).getBytes(StandardCharsets.US_ASCII),
        expectedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
