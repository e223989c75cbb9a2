package dev.boxoffice.backend.web;

import dev.boxoffice.backend.auth.ActiveRoles;
import dev.boxoffice.backend.auth.Ed25519Signatures;
import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.auth.RevokedSessions;
import dev.boxoffice.backend.auth.SessionKeys;
import dev.boxoffice.backend.auth.SessionToken;
import dev.boxoffice.backend.auth.TeamRoles;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.codecs.ErrorBody;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionClaims;
import dev.boxoffice.codecs.session.SessionRevocations;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.codecs.EmailAddresses;
import dev.boxoffice.codecs.session.InvalidSessionException;
import dev.boxoffice.codecs.session.SessionTokenVerifier;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Session checks for the router: {@link #authenticate()} verifies the bearer token (the codecs' verifier, the one the
 * Lambdas use, with BouncyCastle's Ed25519 doing the signature) and keeps the {@link Principal}, {@link #requireRole} guards organizer routes, {@link #devLogin()} signs tokens in local mode.
 * A token proves who the caller is; what they may do comes from this backend's copy of the active grants
 * ({@link ActiveRoles}), so a grant or a revocation holds for sessions already open, within one reload. A token whose
 * session was signed out ({@link RevokedSessions}, this backend's copy) is refused like an expired one.
 */
public final class Sessions {

  private static final String PRINCIPAL_KEY = Sessions.class.getName() + ".principal";
  private static final String TOKEN_KEY = Sessions.class.getName() + ".token";
  /** Bounds the verified-token memory (about 10 MB); when full it starts over rather than tracking recency. */
  private static final int MAX_REMEMBERED_TOKENS = 20_000;

  // Immutable and thread-safe: every event loop verifies with it at once, each with a Signature of its own.
  private final SessionTokenVerifier verifier;
  private final SessionKeys keys;
  private final Config config;
  private final Clock clock;
  private final ActiveRoles roles;
  private final RevokedSessions revoked;
  private final Map<String, VerifiedSession> verified = new ConcurrentHashMap<>();

  private Sessions(SessionTokenVerifier verifier, SessionKeys keys, Config config, Clock clock, ActiveRoles roles,
                   RevokedSessions revoked) {
    this.verifier = verifier;
    this.keys = keys;
    this.config = config;
    this.clock = clock;
    this.roles = roles;
    this.revoked = revoked;
  }

  public static Sessions create(SessionKeys keys, Config config, ActiveRoles roles, RevokedSessions revoked) {
    Config.Auth auth = config.auth();
    Ed25519Signatures.install();
    Clock clock = Clock.systemUTC();
    return new Sessions(SessionTokens.verifier(keys.publicKey(), auth.issuer(), auth.audience(), auth.clockSkew(),
        clock), keys, config, clock, roles, revoked);
  }

  /**
   * Lets the request through with its {@link Principal} when it carries a valid session; 401 otherwise. A token that
   * verified once is remembered until it expires: a verification costs about 75 µs of an event loop's CPU here (see
   * {@code SessionVerificationBenchmark}), which a rush of purchases by the same buyers cannot afford on every
   * request. Whether it was signed out is asked on every request: two lookups in this backend's copy.
   */
  public AuthenticationHandler authenticate() {
    return ctx -> {
      String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
      if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        unauthorized(ctx, "Sign in: send Authorization: Bearer <session token>");
        return;
      }
      String token = authorization.substring(7).trim();
      VerifiedSession remembered = verified.get(token);
      if (remembered == null || !remembered.holdsAt(clock.millis())) {
        SessionClaims claims;
        try {
          claims = verifier.verify(token);
        } catch (InvalidSessionException e) {
          unauthorized(ctx, "The session token is invalid or expired");
          return;
        }
        remembered = remember(token, claims);
      }
      if (revoked.refuses(remembered.claims(), remembered.token().hash())) {
        unauthorized(ctx, "This session was signed out; sign in again");
        return;
      }
      ctx.put(TOKEN_KEY, remembered.token());
      proceed(ctx, current(token, remembered));
    };
  }

  /** The caller verified by {@link #authenticate()}, which must run earlier on the route. */
  public static Principal principal(RoutingContext ctx) {
    Principal principal = ctx.get(PRINCIPAL_KEY);
    if (principal == null) {
      throw new IllegalStateException("no session on this route: add Sessions.authenticate() before it");
    }
    return principal;
  }

  /** The token {@link #authenticate()} verified for this request, as a sign-out names it. */
  public static SessionToken token(RoutingContext ctx) {
    SessionToken token = ctx.get(TOKEN_KEY);
    if (token == null) {
      throw new IllegalStateException("no session on this route: add Sessions.authenticate() before it");
    }
    return token;
  }

  /** Lets the request through only when the authenticated caller has {@code role}; 403 otherwise. */
  public static Handler<RoutingContext> requireRole(Role role) {
    return ctx -> {
      if (principal(ctx).hasRole(role)) {
        ctx.next();
      } else {
        Errors.reply(ctx, 403, ErrorBody.of("forbidden", "This needs the " + role.claimValue() + " role"));
      }
    };
  }

  /**
   * {@code POST /api/dev/login {"email": "..."}} → {@code 200 {"token": "...", "expiresAt": "<ISO instant>"}}, with
   * the roles granted now in its claims (for display: the session check reads the grants, not the claims).
   * Local mode only: 404 in aws mode. Needs the JSON body read (a {@code BodyHandler}) before it.
   */
  public Handler<RoutingContext> devLogin() {
    return ctx -> {
      if (config.mode() != Config.Mode.LOCAL || keys.privateKey().isEmpty()) {
        Errors.reply(ctx, 404, ErrorBody.of("not_found",
            "The dev login exists in local mode only, with a session private key"));
        return;
      }
      String email;
      try {
        email = emailOf(ctx.body());
      } catch (IllegalArgumentException e) {
        Errors.reply(ctx, 400, ErrorBody.forField("invalid_email", e.getMessage(), "email"));
        return;
      }
      Config.Auth auth = config.auth();
      Set<Role> granted = roles.principal(email, roles.current()).roles();
      Instant now = clock.instant();
      SessionClaims claims = new SessionClaims(email, granted, now, now.plus(auth.tokenLifetime()), auth.issuer(),
          auth.audience());
      String token = SessionTokens.issue(claims, keys.privateKey().get());
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end(new JsonObject().put("token", token).put("expiresAt", claims.expiresAt().toString()).encode());
    };
  }

  private static String emailOf(RequestBody body) {
    JsonObject json;
    try {
      json = body == null || body.isEmpty() ? null : body.asJsonObject();
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("The body must be a JSON object {\"email\": \"...\"}");
    }
    if (json == null || !json.fieldNames().equals(Set.of("email")) || !(json.getValue("email") instanceof String)) {
      throw new IllegalArgumentException("The body must be a JSON object {\"email\": \"...\"}");
    }
    try {
      return EmailAddresses.normalize(json.getString("email"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("email must be an email address of at most " + EmailAddresses.MAX_LENGTH
          + " characters");
    }
  }

  private static void proceed(RoutingContext ctx, Principal principal) {
    ctx.put(PRINCIPAL_KEY, principal);
    ctx.next();
  }

  private VerifiedSession remember(String token, SessionClaims claims) {
    TeamRoles grants = roles.current();
    Principal principal = roles.principal(claims.subject(), grants);
    SessionToken named = new SessionToken(SessionRevocations.tokenHash(token),
        claims.expiresAt().plus(config.auth().clockSkew()));
    if (verified.size() >= MAX_REMEMBERED_TOKENS) {
      verified.clear();
    }
    VerifiedSession session = new VerifiedSession(claims, named, principal, grants);
    verified.put(token, session);
    return session;
  }

  /** The remembered caller, with their roles derived again when the grants changed since. */
  private Principal current(String token, VerifiedSession remembered) {
    TeamRoles grants = roles.current();
    if (remembered.grants() == grants) {
      return remembered.principal();
    }
    Principal principal = roles.principal(remembered.principal().email(), grants);
    verified.put(token, new VerifiedSession(remembered.claims(), remembered.token(), principal, grants));
    return principal;
  }

  private record VerifiedSession(SessionClaims claims, SessionToken token, Principal principal, TeamRoles grants) {

    boolean holdsAt(long nowMillis) {
      return nowMillis < token.usableUntil().toEpochMilli();
    }
  }

  private static void unauthorized(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer");
    Errors.reply(ctx, 401, ErrorBody.of("unauthorized", message));
  }
}
