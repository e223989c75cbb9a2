package dev.boxoffice.codecs.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionRevocationsTest {

  private static final KeyPair KEYS = SessionTokens.generateKeyPair();
  private static final Instant REVOKED_AT = Instant.parse("2026-12-06T10:00:00.700Z");

  @Test
  @DisplayName("two tokens of the same claims differ (a random sid), so signing one out leaves the other")
  void tokensAreUnique() {
    SessionClaims claims = claims(REVOKED_AT);
    String first = SessionTokens.issue(claims, KEYS.getPrivate());
    String second = SessionTokens.issue(claims, KEYS.getPrivate());

    SessionRevocations revocations = new SessionRevocations(Optional.empty(),
        Set.of(SessionRevocations.tokenHash(first)));

    assertThat(first).isNotEqualTo(second);
    assertThat(revocations.refuses(claims, SessionRevocations.tokenHash(first))).isTrue();
    assertThat(revocations.refuses(claims, SessionRevocations.tokenHash(second))).isFalse();
    assertThat(SessionRevocations.tokenHash(first)).hasSize(43).doesNotContain(first.substring(0, 20));
  }

  @Test
  @DisplayName("everywhere refuses tokens issued up to the revocation's second, that second included, and none after")
  void everywhereBySecond() {
    SessionRevocations revocations = new SessionRevocations(Optional.of(REVOKED_AT), Set.of());

    assertThat(revocations.refuses(claims(REVOKED_AT.minus(Duration.ofHours(3))), "any")).isTrue();
    assertThat(revocations.refuses(claims(Instant.parse("2026-12-06T10:00:00.200Z")), "any")).isTrue();
    assertThat(revocations.refuses(claims(Instant.parse("2026-12-06T10:00:00.900Z")), "any")).isTrue();
    assertThat(revocations.refuses(claims(Instant.parse("2026-12-06T10:00:01Z")), "any")).isFalse();
    assertThat(SessionRevocations.NONE.refuses(claims(REVOKED_AT), "any")).isFalse();
  }

  @Test
  @DisplayName("the subject key is the same for any case or spacing of an address, and is not the address")
  void subjectKey() {
    assertThat(SessionRevocations.subjectKey(" Ada@Example.org ")).isEqualTo(SessionRevocations.subjectKey("ada@example.org"))
        .hasSize(64).doesNotContain("ada");
  }

  private static SessionClaims claims(Instant issuedAt) {
    return new SessionClaims("ada@example.org", Set.of(Role.BUYER), issuedAt, issuedAt.plus(Duration.ofHours(12)),
        "boxoffice", "boxoffice-api");
  }
}
