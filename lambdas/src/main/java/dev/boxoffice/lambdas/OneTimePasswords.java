package dev.boxoffice.lambdas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The one-time-password arithmetic /send-otp and /verify-otp share: six-digit codes and challenges from
 * {@link SecureRandom}, and HMAC-SHA256 under the server's pepper (the keys secret's {@code otpPepper}, see
 * {@link KeysSecret}) for the table keys of addresses, networks and codes and for the salted hash of a code, so a copy
 * of the tables reveals neither addresses, client IPs nor codes.
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

  /** The key of a normalised address in the tables. */
  String emailHash(String email) {
    return hash("email", email);
  }

  /** A keyed hash of {@code value}, a {@code kind} of thing (email, network), for a table key. */
  String hash(String kind, String value) {
    return HexFormat.of().formatHex(Hashing.hmacSha256(pepper(), kind + ":" + value));
  }

  /**
   * The OTP table's key of one code: the address and the challenge the request that asked for it got back, so only
   * that request's page can try it; somebody else asking for a code for the same address gets a slot of their own
   * and can neither replace nor use up this one.
   */
  String codeSlot(String emailHash, String challenge) {
    return hash("slot", emailHash + ":" + challenge);
  }

  /** 128 random bits, base64url: what the browser sends back with the code. */
  String newChallenge() {
    byte[] challenge = new byte[16];
    random.nextBytes(challenge);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(challenge);
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
