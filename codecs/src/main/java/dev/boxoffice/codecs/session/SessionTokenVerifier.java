package dev.boxoffice.codecs.session;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.Json;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.InvalidClaimException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.SignatureException;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies session tokens against one public key, issuer and audience. Built once (the jjwt parser it holds is
 * immutable and thread-safe); {@link #verify} then costs one Ed25519 verification and two small JSON parses.
 *
 * <p>Refused, each with an {@link InvalidSessionException}: anything but a compact JWS of at most 8 KiB; an
 * {@code alg} other than {@code EdDSA}; a part not in canonical base64url (set padding bits: one token, one spelling); ({@code none}, {@code HS256} keyed with the public key, ...), read from the
 * header before the library picks a verifier; any {@code crit} header, since we understand no extension; a
 * signature that does not hold for the key; an issuer or audience other than the expected ones; a token at or past
 * {@code exp + skew}, before {@code nbf - skew} or issued ({@code iat}) after {@code now + skew}; claims without
 * {@code sub}, {@code roles}, {@code iat}, {@code exp}, {@code iss} and {@code aud}, or with an unknown role.
 *
 * <p>The signature is checked through JCA's {@code EdDSA} signature service, so whichever provider the process put
 * first for it (the backend installs BouncyCastle's, several times faster than the JDK's) does the work.
 */
public final class SessionTokenVerifier {

  private static final int MAX_TOKEN_LENGTH = 8192;
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

  private final JwtParser parser;
  private final String audience;
  private final Duration clockSkew;
  private final Clock clock;

  SessionTokenVerifier(PublicKey publicKey, String issuer, String audience, Duration clockSkew, Clock clock) {
    this.audience = audience;
    this.clockSkew = clockSkew;
    this.clock = clock;
    this.parser = Jwts.parser()
        .verifyWith(publicKey)
        .sig().clear().add(Jwts.SIG.EdDSA).and()
        .zip().clear().and()
        .requireIssuer(issuer)
        .requireAudience(audience)
        .clockSkewSeconds(clockSkew.toSeconds())
        .clock(() -> Date.from(clock.instant()))
        .build();
  }

  /** The claims of {@code token}, or why it proves no session. */
  public SessionClaims verify(String token) throws InvalidSessionException {
    if (token == null || token.length() > MAX_TOKEN_LENGTH || !COMPACT_JWS.matcher(token).matches()) {
      throw new InvalidSessionException("not a compact JWS");
    }
    requireCanonicalEncoding(token);
    requireOwnHeader(token.substring(0, token.indexOf('.')));
    Instant now = clock.instant();
    Claims claims;
    try {
      claims = parser.parseSignedClaims(token).getPayload();
    } catch (SignatureException e) {
      throw new InvalidSessionException("bad signature");
    } catch (ExpiredJwtException e) {
      throw new InvalidSessionException("expired");
    } catch (PrematureJwtException e) {
      throw new InvalidSessionException("not valid yet");
    } catch (InvalidClaimException e) {
      throw new InvalidSessionException(claimRefusal(e.getClaimName()));
    } catch (RuntimeException e) {
      // Whatever else the library throws on a token it cannot read is still a token that proves nothing.
      throw new InvalidSessionException("invalid token: " + e.getMessage());
    }
    SessionClaims session = claimsOf(claims);
    // jjwt still accepts a token at exactly exp + skew and never looks at iat; a session ends before exp + skew.
    if (!now.isBefore(session.expiresAt().plus(clockSkew))) {
      throw new InvalidSessionException("expired");
    }
    if (session.issuedAt().isAfter(now.plus(clockSkew))) {
      throw new InvalidSessionException("issued in the future");
    }
    return session;
  }

  /**
   * Refuses a part whose last character carries set padding bits: base64url decoders ignore them, so without this
   * check one signed token would have several spellings, and a sign-out, which names a token by its hash
   * ({@link SessionRevocations}), could be replayed under another.
   */
  private static void requireCanonicalEncoding(String token) throws InvalidSessionException {
    for (String part : token.split("\\.")) {
      try {
        if (!BASE64URL.encodeToString(Base64.getUrlDecoder().decode(part)).equals(part)) {
          throw new InvalidSessionException("a JWS part is not canonical base64url");
        }
      } catch (IllegalArgumentException e) {
        throw new InvalidSessionException("a JWS part is not base64url");
      }
    }
  }

  /** Pins the algorithm and refuses {@code crit} before the library reads anything else. */
  private static void requireOwnHeader(String encodedHeader) throws InvalidSessionException {
    JsonNode header;
    try {
      header = Json.mapper().readTree(Base64.getUrlDecoder().decode(encodedHeader));
    } catch (IOException | IllegalArgumentException e) {
      throw new InvalidSessionException("a JWS part is not JSON");
    }
    if (header == null || !header.isObject()) {
      throw new InvalidSessionException("a JWS part is not a JSON object");
    }
    if (!SessionTokens.ALGORITHM.equals(header.path("alg").asText(null))) {
      throw new InvalidSessionException("alg must be " + SessionTokens.ALGORITHM);
    }
    if (header.has("crit")) {
      throw new InvalidSessionException("crit names an extension this verifier does not understand");
    }
  }

  private static String claimRefusal(String claim) {
    return switch (claim == null ? "" : claim) {
      case "iss" -> "wrong issuer";
      case "aud" -> "wrong audience";
      default -> "invalid claim " + claim;
    };
  }

  private SessionClaims claimsOf(Claims claims) throws InvalidSessionException {
    Object subject = claims.get("sub");
    Object roles = claims.get("roles");
    Date issuedAt = claims.getIssuedAt();
    Date expiresAt = claims.getExpiration();
    if (!(subject instanceof String email) || !(roles instanceof List<?> roleNames) || issuedAt == null
        || expiresAt == null || claims.getIssuer() == null) {
      throw new InvalidSessionException("claims sub, roles, iat, exp, iss and aud are required");
    }
    try {
      Set<Role> parsedRoles = EnumSet.noneOf(Role.class);
      for (Object role : roleNames) {
        parsedRoles.add(Role.fromClaim(String.valueOf(role)));
      }
      return new SessionClaims(email, parsedRoles, issuedAt.toInstant(), expiresAt.toInstant(), claims.getIssuer(),
          audience);
    } catch (IllegalArgumentException e) {
      throw new InvalidSessionException("invalid claims: " + e.getMessage());
    }
  }
}
