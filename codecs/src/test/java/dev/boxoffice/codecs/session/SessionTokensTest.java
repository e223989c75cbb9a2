package dev.boxoffice.codecs.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionTokensTest {

  private static final KeyPair KEYS = SessionTokens.generateKeyPair();
  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
  private static final Duration SKEW = Duration.ofSeconds(30);
  private static final SessionClaims CLAIMS = new SessionClaims("Ada@Example.org", Set.of(Role.BUYER, Role.ORGANIZER),
      NOW, NOW.plus(Duration.ofHours(1)), "boxoffice", "boxoffice-api");

  @Test
  @DisplayName("an issued token verifies with the public key and gives back the same claims")
  void roundTrip() throws Exception {
    String token = SessionTokens.issue(CLAIMS, KEYS.getPrivate());

    SessionClaims verified = SessionTokens.verify(token, KEYS.getPublic(), "boxoffice", "boxoffice-api", NOW, SKEW);

    assertThat(verified).isEqualTo(CLAIMS);
    assertThat(verified.subject()).isEqualTo("ada@example.org");
    assertThat(decodedPart(token, 0)).isEqualTo("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}");
    assertThat(decodedPart(token, 1)).contains("\"roles\":[\"buyer\",\"organizer\"]").contains("\"aud\":\"boxoffice-api\"");
  }

  @Test
  @DisplayName("keys survive a round trip through PEM in the openssl formats")
  void pemRoundTrip() throws Exception {
    String publicPem = SessionTokens.publicKeyPem(KEYS.getPublic());
    String privatePem = SessionTokens.privateKeyPem(KEYS.getPrivate());

    assertThat(publicPem).startsWith("-----BEGIN PUBLIC KEY-----\n").endsWith("-----END PUBLIC KEY-----\n");
    assertThat(privatePem).startsWith("-----BEGIN PRIVATE KEY-----\n");
    String token = SessionTokens.issue(CLAIMS, SessionTokens.parsePrivateKey(privatePem));
    assertThat(SessionTokens.verify(token, SessionTokens.parsePublicKey(publicPem), "boxoffice", "boxoffice-api", NOW,
        SKEW)).isEqualTo(CLAIMS);
    assertThatThrownBy(() -> SessionTokens.parsePublicKey(privatePem)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a token signed by another key, or with its claims altered, is refused")
  void forgeries() {
    String foreign = SessionTokens.issue(CLAIMS, SessionTokens.generateKeyPair().getPrivate());
    assertThatThrownBy(() -> verify(foreign)).hasMessage("bad signature");

    String token = SessionTokens.issue(CLAIMS, KEYS.getPrivate());
    String[] parts = token.split("\\.");
    String promoted = encode(decodedPart(token, 1).replace("ada@example.org", "eve@example.org"));
    assertThatThrownBy(() -> verify(parts[0] + "." + promoted + "." + parts[2])).hasMessage("bad signature");
  }

  @Test
  @DisplayName("alg none, garbage and an empty signature are refused before any claim is read")
  void malformed() {
    String token = SessionTokens.issue(CLAIMS, KEYS.getPrivate());
    String[] parts = token.split("\\.");
    String none = encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");

    assertThatThrownBy(() -> verify(none + "." + parts[1] + ".")).isInstanceOf(InvalidSessionException.class);
    assertThatThrownBy(() -> verify(none + "." + parts[1] + "." + parts[2])).hasMessage("alg must be EdDSA");
    assertThatThrownBy(() -> verify("not-a-token")).hasMessage("not a compact JWS");
    assertThatThrownBy(() -> verify("' OR 1=1 --")).hasMessage("not a compact JWS");
    assertThatThrownBy(() -> verify(encode("[]") + "." + parts[1] + "." + parts[2]))
        .hasMessage("a JWS part is not a JSON object");
    assertThatThrownBy(() -> verify(null)).isInstanceOf(InvalidSessionException.class);
  }

  @Test
  @DisplayName("expiry holds to the clock skew, and wrong issuer or audience is refused")
  void expiryAndAudience() throws Exception {
    String token = SessionTokens.issue(CLAIMS, KEYS.getPrivate());
    Instant expiry = CLAIMS.expiresAt();

    assertThat(SessionTokens.verify(token, KEYS.getPublic(), "boxoffice", "boxoffice-api", expiry.plusSeconds(29), SKEW))
        .isEqualTo(CLAIMS);
    assertThatThrownBy(() -> SessionTokens.verify(token, KEYS.getPublic(), "boxoffice", "boxoffice-api",
        expiry.plusSeconds(30), SKEW)).hasMessage("expired");
    assertThatThrownBy(() -> SessionTokens.verify(token, KEYS.getPublic(), "boxoffice", "boxoffice-api",
        NOW.minusSeconds(31), SKEW)).hasMessage("issued in the future");
    assertThatThrownBy(() -> SessionTokens.verify(token, KEYS.getPublic(), "boxoffice", "another-api", NOW, SKEW))
        .hasMessage("wrong audience");
    assertThatThrownBy(() -> SessionTokens.verify(token, KEYS.getPublic(), "someone-else", "boxoffice-api", NOW, SKEW))
        .hasMessage("wrong issuer");
  }

  @Test
  @DisplayName("claims need a subject, a role and an expiry after their issue time")
  void claimInvariants() {
    assertThatThrownBy(() -> new SessionClaims(" ", Set.of(Role.BUYER), NOW, NOW.plusSeconds(60), "i", "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionClaims("a@b.c", Set.of(), NOW, NOW.plusSeconds(60), "i", "a"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SessionClaims("a@b.c", Set.of(Role.BUYER), NOW, NOW, "i", "a"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static SessionClaims verify(String token) throws InvalidSessionException {
    return SessionTokens.verify(token, KEYS.getPublic(), "boxoffice", "boxoffice-api", NOW, SKEW);
  }

  private static String decodedPart(String token, int index) {
    return new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
  }

  private static String encode(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
