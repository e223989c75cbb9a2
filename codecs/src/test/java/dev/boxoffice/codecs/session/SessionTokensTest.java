package dev.boxoffice.codecs.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
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
  @DisplayName("tokens are byte for byte what the hand-written issuer of /verify-otp signed (header, claims, order),"
      + " with a random session id last")
  void formatUnchanged() throws Exception {
    String token = SessionTokens.issue(CLAIMS, KEYS.getPrivate());
    String sid = decodedPart(token, 1).replaceFirst("^.*,\"sid\":\"([A-Za-z0-9_-]{22})\"}$", "$1");
    String claims = "{\"sub\":\"ada@example.org\",\"roles\":[\"buyer\",\"organizer\"],\"iat\":"
        + NOW.getEpochSecond() + ",\"exp\":" + CLAIMS.expiresAt().getEpochSecond()
        + ",\"iss\":\"boxoffice\",\"aud\":\"boxoffice-api\",\"sid\":\"" + sid + "\"}";

    assertThat(sid).hasSize(22);
    assertThat(token).isEqualTo(signed("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}", claims));
  }

  @Test
  @DisplayName("a crit header is refused even on a token signed with the right key")
  void critRefused() {
    String claims = decodedPart(SessionTokens.issue(CLAIMS, KEYS.getPrivate()), 1);

    for (String header : new String[] {"{\"alg\":\"EdDSA\",\"typ\":\"JWT\",\"crit\":[\"exp\"]}",
        "{\"alg\":\"EdDSA\",\"crit\":[\"x-unknown\"],\"x-unknown\":true}",
        "{\"alg\":\"EdDSA\",\"crit\":[]}"}) {
      assertThatThrownBy(() -> verify(signed(header, claims))).as(header)
          .isInstanceOf(InvalidSessionException.class);
    }
  }

  @Test
  @DisplayName("HS256 keyed with the public key, and other algorithms, are refused even when their MAC holds")
  void algorithmConfusion() throws Exception {
    String token = SessionTokens.issue(CLAIMS, KEYS.getPrivate());
    String claimsPart = token.split("\\.")[1];
    for (String algorithm : new String[] {"HS256", "ES256", "RS256", "Ed25519", "eddsa"}) {
      String header = encode("{\"alg\":\"" + algorithm + "\",\"typ\":\"JWT\"}");
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SessionTokens.publicKeyPem(KEYS.getPublic()).getBytes(StandardCharsets.US_ASCII),
          "HmacSHA256"));
      String forged = header + "." + claimsPart + "." + Base64.getUrlEncoder().withoutPadding()
          .encodeToString(mac.doFinal((header + "." + claimsPart).getBytes(StandardCharsets.US_ASCII)));

      assertThatThrownBy(() -> verify(forged)).as(algorithm).hasMessage("alg must be EdDSA");
    }
  }

  @Test
  @DisplayName("a token not valid before a time beyond the clock skew, or issued beyond it, is refused")
  void fromTheFuture() throws Exception {
    String claims = "{\"sub\":\"ada@example.org\",\"roles\":[\"buyer\"],\"iat\":" + NOW.getEpochSecond()
        + ",\"nbf\":" + (NOW.getEpochSecond() + 60) + ",\"exp\":" + (NOW.getEpochSecond() + 3600)
        + ",\"iss\":\"boxoffice\",\"aud\":\"boxoffice-api\"}";
    String notYet = signed("{\"alg\":\"EdDSA\"}", claims);

    assertThatThrownBy(() -> verify(notYet)).hasMessage("not valid yet");
    assertThat(SessionTokens.verify(notYet, KEYS.getPublic(), "boxoffice", "boxoffice-api", NOW.plusSeconds(31),
        SKEW).subject()).isEqualTo("ada@example.org");
    SessionTokenVerifier fromNow = SessionTokens.verifier(KEYS.getPublic(), "boxoffice", "boxoffice-api", SKEW,
        Clock.fixed(NOW.minusSeconds(31), ZoneOffset.UTC));
    assertThatThrownBy(() -> fromNow.verify(SessionTokens.issue(CLAIMS, KEYS.getPrivate())))
        .hasMessage("issued in the future");
  }

  @Test
  @DisplayName("a verifier built once verifies many tokens on several threads, each against its own clock reading")
  void reusableVerifier() throws Exception {
    SessionTokenVerifier verifier = SessionTokens.verifier(KEYS.getPublic(), "boxoffice", "boxoffice-api", SKEW,
        Clock.fixed(NOW, ZoneOffset.UTC));
    List<String> tokens = IntStream.range(0, 200).mapToObj(i -> SessionTokens.issue(new SessionClaims(
        "buyer" + i + "@example.org", Set.of(Role.BUYER), NOW, NOW.plusSeconds(60), "boxoffice", "boxoffice-api"),
        KEYS.getPrivate())).toList();

    List<String> subjects = tokens.parallelStream().map(token -> {
      try {
        return verifier.verify(token).subject();
      } catch (InvalidSessionException e) {
        throw new AssertionError(e);
      }
    }).toList();

    assertThat(subjects).containsExactlyElementsOf(
        IntStream.range(0, 200).mapToObj(i -> "buyer" + i + "@example.org").toList());
  }

  @Test
  @DisplayName("any one character of a token changed, dropped or added is refused as an invalid session, nothing else")
  void mutatedTokens() {
    String token = SessionTokens.issue(CLAIMS, KEYS.getPrivate());
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ {}\"";
    Random random = new Random(13);
    for (int i = 0; i < 2000; i++) {
      int at = random.nextInt(token.length());
      char replacement = alphabet.charAt(random.nextInt(alphabet.length()));
      String mutated = switch (i % 3) {
        case 0 -> token.substring(0, at) + replacement + token.substring(at + 1);
        case 1 -> token.substring(0, at) + token.substring(at + 1);
        default -> token.substring(0, at) + replacement + token.substring(at);
      };
      if (mutated.equals(token)) {
        continue;
      }
      assertThatThrownBy(() -> verify(mutated)).as(mutated).isInstanceOf(InvalidSessionException.class);
    }
  }

  @Test
  @DisplayName("a token re-spelt with the padding bits of a part's last character set is refused: each token has one"
      + " spelling, so a signed-out token cannot come back under another hash")
  void nonCanonicalSpellingRefused() {
    String token = SessionTokens.issue(CLAIMS, KEYS.getPrivate());
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    // The 64-byte signature is 86 characters: the last one carries 2 bits of it and 4 padding bits.
    char last = token.charAt(token.length() - 1);
    String respelt = token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
    String signature = token.substring(token.lastIndexOf('.') + 1);
    assertThat(Base64.getUrlDecoder().decode(respelt.substring(respelt.lastIndexOf('.') + 1)))
        .isEqualTo(Base64.getUrlDecoder().decode(signature));

    assertThatThrownBy(() -> verify(respelt)).isInstanceOf(InvalidSessionException.class)
        .hasMessage("a JWS part is not canonical base64url");
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

  /** Signs any header and claims with the right key, for tokens the codecs would never issue. */
  private static String signed(String header, String claims) throws Exception {
    String signingInput = encode(header) + "." + encode(claims);
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(KEYS.getPrivate());
    signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signer.sign());
  }

  private static String decodedPart(String token, int index) {
    return new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
  }

  private static String encode(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
