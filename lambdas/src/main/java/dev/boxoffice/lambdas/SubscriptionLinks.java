package dev.boxoffice.lambdas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The signed links of subscriptions, under the keys secret's {@code linkKey} (at least 32 bytes, read at run time
 * through {@link KeysSecret}, never from the function's environment): a token is
 * {@code base64url(purpose|subscriberId|nonce|expiresAt)} then {@code .} and the HMAC-SHA256 of that payload, so it
 * can be neither forged nor stretched, and carries no address. The key also derives each address's subscriber id, so
 * ids reveal nothing either. The key is read per call, so a rotated one applies within {@link KeysSecret}'s five
 * minutes; links signed under the former key stop working then (their readers ask for another).
 */
final class SubscriptionLinks {

  /** How long a confirmation link works: long enough for tomorrow's look at the inbox. */
  static final Duration CONFIRMATION_LIFETIME = Duration.ofDays(2);
  /** An unsubscribe link outlives any reasonable inbox: the law asks for at least 30 days after sending. */
  static final Duration UNSUBSCRIBE_LIFETIME = Duration.ofDays(400);

  private static final int MIN_KEY_BYTES = 32;
  private static final Pattern FIELD = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

  /** What a link is for; a token signed for one purpose is refused for another. */
  enum Purpose { CONFIRM, UNSUBSCRIBE }

  /** The verified content of a token. */
  record Link(Purpose purpose, String subscriberId, String nonce, Instant expiresAt) {
  }

  private final KeysSecret keys;

  SubscriptionLinks(KeysSecret keys) {
    this.keys = keys;
    key();
  }

  private byte[] key() {
    String key = keys.linkKey();
    if (key == null || key.getBytes(StandardCharsets.UTF_8).length < MIN_KEY_BYTES) {
      throw new IllegalStateException("the keys secret's linkKey must be at least " + MIN_KEY_BYTES + " bytes");
    }
    return key.getBytes(StandardCharsets.UTF_8);
  }

  /** The subscriber id of a normalised address: 32 hex digits, the same for the same address under one key. */
  String subscriberId(String email) {
    return HexFormat.of().formatHex(Hashing.hmacSha256(key(), "subscriber:" + email), 0, 16);
  }

  /** A keyed hash of {@code value}, a {@code kind} of thing (a client network), for a rate-limit key. */
  String hash(String kind, String value) {
    return HexFormat.of().formatHex(Hashing.hmacSha256(key(), kind + ":" + value));
  }

  String token(Purpose purpose, String subscriberId, String nonce, Instant expiresAt) {
    String payload = purpose + "|" + subscriberId + "|" + nonce + "|" + expiresAt.getEpochSecond();
    return BASE64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + BASE64.encodeToString(
        Hashing.hmacSha256(key(), payload));
  }

  /** The link of {@code token} if it is signed with this key, for {@code purpose}, and not expired at {@code now}. */
  Optional<Link> verify(String token, Purpose purpose, Instant now) {
    if (token == null || token.length() > 512) {
      return Optional.empty();
    }
    int dot = token.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    String payload;
    byte[] signature;
    try {
      payload = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
      signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    if (!MessageDigest.isEqual(signature, Hashing.hmacSha256(key(), payload))) {
      return Optional.empty();
    }
    String[] fields = payload.split("\\|", -1);
    if (fields.length != 4 || !fields[0].equals(purpose.name()) || !FIELD.matcher(fields[1]).matches()
        || !FIELD.matcher(fields[2]).matches() || !fields[3].matches("[0-9]{1,12}")) {
      return Optional.empty();
    }
    Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(fields[3]));
    return expiresAt.isAfter(now) ? Optional.of(new Link(purpose, fields[1], fields[2], expiresAt)) : Optional.empty();
  }
}
