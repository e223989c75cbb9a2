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
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

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

  /** The request and response header a shed queue visit's arrival ticket travels in. */
  public static final String ARRIVAL_HEADER = "Boxoffice-Arrival";
  /** How long an arrival ticket holds: a shed visitor is told to come back within seconds, each shed visit hands on
   * the first arrival, and a backend that sheds one visitor for minutes on end is broken, not busy. */
  static final Duration ARRIVAL_TICKET_HOLDS = Duration.ofMinutes(10);
  private static final String HMAC = "HmacSHA256";

  /** Bounds the verified-admission memory; when full it starts over rather than tracking recency. */
  private static final int MAX_REMEMBERED = 20_000;

  private record Verified(UUID eventId, String subject, Instant expiresAt) {
  }

  private final KeyPair keys;
  private final Clock clock;
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();
  private final SecretKeySpec arrivalKey;
  // A Mac is not thread-safe and costs more to get than to use: one per event loop.
  private final ThreadLocal<Mac> macs;

  Admissions(KeyPair keys) {
    this(keys, Clock.systemUTC());
  }

  Admissions(KeyPair keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
    this.arrivalKey = new SecretKeySpec(arrivalKey(keys), HMAC);
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance(HMAC);
        mac.init(arrivalKey);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("no " + HMAC + " in this JVM", e);
      }
    });
  }

  /**
   * The arrival ticket of a queue visit that was shed ({@code waiting_room_busy}): that {@code buyerEmail} came to the
   * room of {@code eventId} at {@code arrivedAt}. Handed back on the next visit, it makes the join count from then, so
   * that an overloaded backend costs nobody their place: one shed before the opening still gets the pre-queue's draw,
   * one shed after it keeps their turn by arrival. An HMAC-SHA256 (a few microseconds, where the visit was shed to
   * save work) keyed from the backends' shared admission key, so every backend issues and accepts the same tickets.
   */
  public String arrivalTicket(UUID eventId, String buyerEmail, Instant arrivedAt) {
    String issued = Long.toString(arrivedAt.toEpochMilli());
    return issued + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(arrivalMac(eventId, buyerEmail, issued));
  }

  /**
   * When the buyer arrived, as {@code ticket} (from {@link #arrivalTicket}) says, if it is theirs, for this event,
   * and from the last {@link #ARRIVAL_TICKET_HOLDS} before {@code now}; else empty.
   */
  public Optional<Instant> arrivedAt(String ticket, UUID eventId, String buyerEmail, Instant now) {
    if (ticket == null || ticket.length() > 100) {
      return Optional.empty();
    }
    int dot = ticket.indexOf('.');
    if (dot < 1 || dot > 15) {
      return Optional.empty();
    }
    String issued = ticket.substring(0, dot);
    try {
      Instant arrivedAt = Instant.ofEpochMilli(Long.parseLong(issued));
      byte[] mac = Base64.getUrlDecoder().decode(ticket.substring(dot + 1));
      if (!MessageDigest.isEqual(mac, arrivalMac(eventId, buyerEmail, issued)) || arrivedAt.isAfter(now)
          || arrivedAt.isBefore(now.minus(ARRIVAL_TICKET_HOLDS))) {
        return Optional.empty();
      }
      return Optional.of(arrivedAt);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private byte[] arrivalMac(UUID eventId, String buyerEmail, String issued) {
    return macs.get().doFinal((eventId + "\n" + buyerEmail + "\n" + issued).getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] arrivalKey(KeyPair keys) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update("boxoffice-arrival-ticket\n".getBytes(StandardCharsets.UTF_8));
      return sha256.digest(keys.getPrivate().getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no SHA-256 in this JVM", e);
    }
  }

  /** The shared key pair, made by the first backend that starts. */
  public static Future<Admissions> load(WaitingRoomStore store) {
    return store.keyPair(KEY_NAME, SessionTokens.generateKeyPair()).map(Admissions::new);
  }

  String issue(UUID eventId, String buyerEmail, Instant issuedAt, Instant expiresAt) {
    return SessionTokens.issue(new SessionClaims(buyerEmail, EnumSet.of(Role.BUYER), issuedAt, expiresAt, ISSUER,
        AUDIENCE_PREFIX + eventId), keys.getPrivate());
  }

  /**
   * The event {@code token} admits {@code buyerEmail} to, when it is a valid admission of theirs; else empty. An
   * admission verified once is remembered until it expires, as sessions are ({@code Sessions}): an Ed25519
   * verification per purchase was 4% of the event loops' CPU in the on-sale load run, for the same few tokens again
   * and again.
   */
  public Optional<UUID> eventOf(String token, String buyerEmail) {
    if (token == null || token.length() > 2_000) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Verified known = verified.get(token);
    if (known == null) {
      known = verify(token, now);
      if (known == null) {
        return Optional.empty();
      }
      if (verified.size() >= MAX_REMEMBERED) {
        verified.clear();
      }
      verified.put(token, known);
    }
    return known.subject().equals(buyerEmail) && now.isBefore(known.expiresAt().plus(CLOCK_SKEW))
        ? Optional.of(known.eventId()) : Optional.empty();
  }

  /** {@code token}'s event, subject and expiry when it is a valid admission now; else null. */
  private Verified verify(String token, Instant now) {
    try {
      // The audience names the event; it is read first to know what to verify against, then verified with the rest.
      String[] parts = token.split("\\.");
      if (parts.length != 3) {
        return null;
      }
      String audience = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8))
          .getString("aud", "");
      if (!audience.startsWith(AUDIENCE_PREFIX)) {
        return null;
      }
      UUID eventId = UUID.fromString(audience.substring(AUDIENCE_PREFIX.length()));
      SessionClaims claims = SessionTokens.verify(token, keys.getPublic(), ISSUER, audience, now, CLOCK_SKEW);
      return new Verified(eventId, claims.subject(), claims.expiresAt());
    } catch (InvalidSessionException | IllegalArgumentException | DecodeException | ClassCastException e) {
      return null;
    }
  }
}
