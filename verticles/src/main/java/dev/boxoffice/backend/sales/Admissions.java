package dev.boxoffice.backend.sales;

import dev.boxoffice.backend.store.WaitingRoomStore;
import dev.boxoffice.codecs.session.InvalidSessionException;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionClaims;
import dev.boxoffice.codecs.session.SessionTokens;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;

/**
 * Waiting-room admissions: short-lived tokens of the session tokens' format (EdDSA JWT), signed with the backends'
 * own key pair (kept in PostgreSQL, so every backend signs and verifies alike), for the audience
 * {@code boxoffice-admission:<eventId>} and the buyer as subject. A session token is never an admission, nor an
 * admission a session: their audiences differ.
 */
public final class Admissions {

  /** The request header a purchase or hold carries its admission in. */
  public static final String HEADER = "Boxoffice-Admission";
  private static final String KEY_NAME = "admissions";
  private static final String ISSUER = "boxoffice";
  private static final String AUDIENCE_PREFIX = "boxoffice-admission:";
  private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

  private final KeyPair keys;

  Admissions(KeyPair keys) {
    this.keys = keys;
  }

  /** The shared key pair, made by the first backend that starts. */
  public static Future<Admissions> load(WaitingRoomStore store) {
    return store.keyPair(KEY_NAME, SessionTokens.generateKeyPair()).map(Admissions::new);
  }

  String issue(UUID eventId, String buyerEmail, Instant issuedAt, Instant expiresAt) {
    return SessionTokens.issue(new SessionClaims(buyerEmail, EnumSet.of(Role.BUYER), issuedAt, expiresAt, ISSUER,
        AUDIENCE_PREFIX + eventId), keys.getPrivate());
  }

  /** The event {@code token} admits {@code buyerEmail} to, when it is a valid admission of theirs; else empty. */
  public Optional<UUID> eventOf(String token, String buyerEmail) {
    if (token == null || token.length() > 2_000) {
      return Optional.empty();
    }
    try {
      // The audience names the event; it is read first to know what to verify against, then verified with the rest.
      String[] parts = token.split("\\.");
      if (parts.length != 3) {
        return Optional.empty();
      }
      String audience = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
          .getString("aud", "");
      if (!audience.startsWith(AUDIENCE_PREFIX)) {
        return Optional.empty();
      }
      UUID eventId = UUID.fromString(audience.substring(AUDIENCE_PREFIX.length()));
      SessionClaims claims = SessionTokens.verify(token, keys.getPublic(), ISSUER, audience, Instant.now(),
          CLOCK_SKEW);
      return claims.subject().equals(buyerEmail) ? Optional.of(eventId) : Optional.empty();
    } catch (InvalidSessionException | IllegalArgumentException | DecodeException | ClassCastException e) {
      return Optional.empty();
    }
  }
}
