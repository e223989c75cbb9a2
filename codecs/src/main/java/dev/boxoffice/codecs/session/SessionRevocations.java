package dev.boxoffice.codecs.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a revoked session is, as the backend writes it and every verifier (the backend, the Lambdas) reads it: a
 * person's sessions revoked "everywhere" up to an instant, and single sessions signed out, named by the SHA-256 of
 * their token (a store of revocations holds no usable token). Tokens carry no session id: the hash of the token is
 * one, and a token issued before revocations existed is signed out like any other.
 *
 * <p>"Everywhere" refuses every token issued ({@code iat}) in or before the second of the revocation: {@code iat} is
 * whole seconds, and a token issued in the same second as the revocation might predate it. Signing in again works
 * from the next second on.
 */
public record SessionRevocations(Optional<Instant> everywhereAt, Set<String> signedOutTokens) {

  /** How long an "everywhere" revocation is kept: longer than any session lasts (12 h by default). */
  public static final Duration EVERYWHERE_RETENTION = Duration.ofDays(7);
  public static final SessionRevocations NONE = new SessionRevocations(Optional.empty(), Set.of());

  /*
   * The revoked-sessions table (DynamoDB) the backend writes and the Lambdas query: partition key SUBJECT_KEY, sort
   * key REVOCATION ("everywhere#<epoch second>" with REVOKED_AT, or "session#<token hash>"), EXPIRES_AT its TTL.
   */
  public static final String SUBJECT_KEY = "subjectKey";
  public static final String REVOCATION = "revocation";
  public static final String EVERYWHERE_PREFIX = "everywhere#";
  public static final String SESSION_PREFIX = "session#";
  public static final String REVOKED_AT = "revokedAt";
  public static final String EXPIRES_AT = "expiresAt";

  public SessionRevocations {
    everywhereAt = everywhereAt.map(at -> Instant.ofEpochSecond(at.getEpochSecond()));
    signedOutTokens = Set.copyOf(signedOutTokens);
  }

  /** Whether the session of {@code claims}, whose token hashes to {@code tokenHash}, is revoked. */
  public boolean refuses(SessionClaims claims, String tokenHash) {
    return signedOutTokens.contains(tokenHash)
        || everywhereAt.map(at -> !claims.issuedAt().isAfter(at)).orElse(false);
  }

  /** The name of a token among revocations: base64url SHA-256 of its text, 43 characters. */
  public static String tokenHash(String token) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(token));
  }

  /** The key of a person's revocations where a key is visible (DynamoDB): hex SHA-256 of the lower-case email. */
  public static String subjectKey(String email) {
    return HexFormat.of().formatHex(sha256(email.trim().toLowerCase(Locale.ROOT)));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
