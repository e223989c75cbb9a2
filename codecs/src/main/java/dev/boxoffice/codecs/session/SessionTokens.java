package dev.boxoffice.codecs.session;

import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;

/**
 * Issues and verifies session tokens, on jjwt (EdDSA), the one implementation that both the /verify-otp Lambda
 * (which issues them) and every verifier (the backend, the Lambdas that need a session) use.
 *
 * <p>Token: a JWS in compact form, {@code base64url(header) "." base64url(claims) "." base64url(signature)} without
 * padding, header {@code {"alg":"EdDSA","typ":"JWT"}}, signature Ed25519 (RFC 8037) over the first two parts, claims
 * {@code {"sub": email, "roles": ["buyer", "organizer"], "iat": seconds, "exp": seconds, "iss": ..., "aud": ...,
 * "sid": random}}. {@code sid} (128 random bits) makes every token unique, so that signing out one session (named by
 * its token's hash: {@link SessionRevocations}) never signs out another issued in the same second. What
 * {@link SessionTokenVerifier} refuses is listed there.
 *
 * <p>Keys: Ed25519 in PEM (RFC 7468 with RFC 8410 contents): the public key as {@code -----BEGIN PUBLIC KEY-----}
 * (X.509 SubjectPublicKeyInfo), the private key as {@code -----BEGIN PRIVATE KEY-----} (unencrypted PKCS#8), the
 * same files {@code openssl genpkey -algorithm ed25519} and {@code openssl pkey -pubout} write.
 */
public final class SessionTokens {

  public static final String ALGORITHM = "EdDSA";
  public static final String DEFAULT_ISSUER = "boxoffice";
  public static final String DEFAULT_AUDIENCE = "boxoffice-api";

  private static final String KEY_ALGORITHM = "Ed25519";
  private static final SecureRandom RANDOM = new SecureRandom();

  private SessionTokens() {
  }

  public static KeyPair generateKeyPair() {
    try {
      return KeyPairGenerator.getInstance(KEY_ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK has no Ed25519", e);
    }
  }

  public static String issue(SessionClaims claims, PrivateKey privateKey) {
    List<String> roles = EnumSet.copyOf(claims.roles()).stream().map(Role::claimValue).toList();
    try {
      return Jwts.builder()
          // alg before typ, byte for byte the header /verify-otp has always issued
          .header().add("alg", ALGORITHM).add("typ", "JWT").and()
          .claim("sub", claims.subject())
          .claim("roles", roles)
          .claim("iat", claims.issuedAt().getEpochSecond())
          .claim("exp", claims.expiresAt().getEpochSecond())
          .claim("iss", claims.issuer())
          .claim("aud", claims.audience())
          .claim("sid", sessionId())
          .signWith(privateKey, Jwts.SIG.EdDSA)
          .compact();
    } catch (JwtException e) {
      throw new IllegalArgumentException("cannot sign with this key; an Ed25519 private key is needed", e);
    }
  }

  private static String sessionId() {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
  }

  /** A verifier for tokens signed by {@code publicKey} for {@code issuer} and {@code audience}; build it once. */
  public static SessionTokenVerifier verifier(PublicKey publicKey, String issuer, String audience, Duration clockSkew,
                                              Clock clock) {
    return new SessionTokenVerifier(publicKey, issuer, audience, clockSkew, clock);
  }

  /**
   * The claims of {@code token} if it is signed by {@code publicKey}, names {@code issuer} and {@code audience}, and
   * holds at {@code now}; {@code clockSkew} is tolerated on {@code exp}, {@code nbf} and {@code iat}. Builds a
   * verifier per call: where tokens are verified often, keep a {@link #verifier} instead.
   */
  public static SessionClaims verify(String token, PublicKey publicKey, String issuer, String audience, Instant now,
                                     Duration clockSkew) throws InvalidSessionException {
    return verifier(publicKey, issuer, audience, clockSkew, Clock.fixed(now, ZoneOffset.UTC)).verify(token);
  }

  public static String publicKeyPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  public static String privateKeyPem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  public static PublicKey parsePublicKey(String pem) {
    try {
      return KeyFactory.getInstance(KEY_ALGORITHM).generatePublic(new X509EncodedKeySpec(derOf("PUBLIC KEY", pem)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 public key in PEM", e);
    }
  }

  public static PrivateKey parsePrivateKey(String pem) {
    try {
      return KeyFactory.getInstance(KEY_ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(derOf("PRIVATE KEY", pem)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("not an Ed25519 private key in PKCS#8 PEM", e);
    }
  }

  private static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }

  private static byte[] derOf(String label, String pem) {
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    int from = pem.indexOf(begin);
    int to = pem.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException("expected a PEM block '" + begin + "'");
    }
    try {
      return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the PEM block '" + label + "' is not base64", e);
    }
  }
}
