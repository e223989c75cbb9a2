package dev.boxoffice.codecs.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boxoffice.codecs.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Issues and verifies session tokens with nothing but the JDK, so the /verify-otp Lambda issues exactly what the
 * backend (through vertx-auth-jwt) accepts.
 *
 * <p>Token: a JWS in compact form, {@code base64url(header) "." base64url(claims) "." base64url(signature)} without
 * padding, header {@code {"alg":"EdDSA","typ":"JWT"}}, signature Ed25519 (RFC 8037) over the first two parts, claims
 * {@code {"sub": email, "roles": ["buyer", "organizer"], "iat": seconds, "exp": seconds, "iss": ..., "aud": ...}}.
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
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder BASE64URL_DECODER = Base64.getUrlDecoder();
  private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
  private static final int MAX_TOKEN_LENGTH = 8192;
  private static final String HEADER = BASE64URL.encodeToString(
      "{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

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
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("sub", claims.subject());
    ArrayNode roles = body.putArray("roles");
    EnumSet.copyOf(claims.roles()).forEach(role -> roles.add(role.claimValue()));
    body.put("iat", claims.issuedAt().getEpochSecond());
    body.put("exp", claims.expiresAt().getEpochSecond());
    body.put("iss", claims.issuer());
    body.put("aud", claims.audience());
    String signingInput = HEADER + "." + BASE64URL.encodeToString(Json.write(body).getBytes(StandardCharsets.UTF_8));
    try {
      Signature signer = Signature.getInstance(KEY_ALGORITHM);
      signer.initSign(privateKey);
      signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + BASE64URL.encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with this key; an Ed25519 private key is needed", e);
    }
  }

  /**
   * The claims of {@code token} if it is signed by {@code publicKey}, names {@code issuer} and {@code audience}, and
   * holds at {@code now}; {@code clockSkew} is tolerated on both {@code exp} and {@code iat}.
   */
  public static SessionClaims verify(String token, PublicKey publicKey, String issuer, String audience, Instant now,
                                     Duration clockSkew) throws InvalidSessionException {
    if (token == null || token.length() > MAX_TOKEN_LENGTH || !COMPACT_JWS.matcher(token).matches()) {
      throw new InvalidSessionException("not a compact JWS");
    }
    String[] parts = token.split("\\.");
    JsonNode header = parseJson(parts[0]);
    if (!ALGORITHM.equals(header.path("alg").asText(null))) {
      throw new InvalidSessionException("alg must be " + ALGORITHM);
    }
    if (!signatureHolds(parts, publicKey)) {
      throw new InvalidSessionException("bad signature");
    }
    JsonNode body = parseJson(parts[1]);
    SessionClaims claims = claimsOf(body);
    if (!claims.issuer().equals(issuer)) {
      throw new InvalidSessionException("wrong issuer");
    }
    if (!claims.audience().equals(audience)) {
      throw new InvalidSessionException("wrong audience");
    }
    if (!now.isBefore(claims.expiresAt().plus(clockSkew))) {
      throw new InvalidSessionException("expired");
    }
    if (claims.issuedAt().isAfter(now.plus(clockSkew))) {
      throw new InvalidSessionException("issued in the future");
    }
    return claims;
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

  private static boolean signatureHolds(String[] parts, PublicKey publicKey) throws InvalidSessionException {
    try {
      Signature verifier = Signature.getInstance(KEY_ALGORITHM);
      verifier.initVerify(publicKey);
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(decode(parts[2]));
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static SessionClaims claimsOf(JsonNode body) throws InvalidSessionException {
    JsonNode roles = body.path("roles");
    if (!roles.isArray() || !body.path("sub").isTextual() || !body.path("iss").isTextual()
        || !body.path("aud").isTextual() || !body.path("iat").canConvertToLong()
        || !body.path("exp").canConvertToLong()) {
      throw new InvalidSessionException("claims sub, roles, iat, exp, iss and aud are required");
    }
    try {
      Set<Role> parsedRoles = EnumSet.noneOf(Role.class);
      for (JsonNode role : roles) {
        parsedRoles.add(Role.fromClaim(role.asText()));
      }
      return new SessionClaims(body.get("sub").asText(), parsedRoles,
          Instant.ofEpochSecond(body.get("iat").asLong()), Instant.ofEpochSecond(body.get("exp").asLong()),
          body.get("iss").asText(), body.get("aud").asText());
    } catch (IllegalArgumentException e) {
      throw new InvalidSessionException("invalid claims: " + e.getMessage());
    }
  }

  private static JsonNode parseJson(String part) throws InvalidSessionException {
    try {
      JsonNode node = Json.mapper().readTree(decode(part));
      if (node == null || !node.isObject()) {
        throw new InvalidSessionException("a JWS part is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new InvalidSessionException("a JWS part is not JSON");
    }
  }

  private static byte[] decode(String part) throws InvalidSessionException {
    try {
      return BASE64URL_DECODER.decode(part);
    } catch (IllegalArgumentException e) {
      throw new InvalidSessionException("a JWS part is not base64url");
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
