package dev.boxoffice.backend.stripe;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.net.Webhook;
import dev.boxoffice.backend.model.Refusal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The signature check's time bounds, to the second, on a fixed clock; signed by stripe-java, not by us. */
class StripeSignaturesTest {

  private static final String SECRET = "whsec_bounds";
  private static final String PAYLOAD = "{\"id\":\"evt_bounds\",\"object\":\"event\",\"type\":\"ping\"}";
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  @Test
  @DisplayName("signed up to 300 s either side of now is accepted; 301 s either side is refused")
  void toleranceIsFiveMinutesEitherSide() {
    long now = NOW.getEpochSecond();

    assertThatCode(() -> verifySignedAt(now)).doesNotThrowAnyException();
    assertThatCode(() -> verifySignedAt(now - 300)).doesNotThrowAnyException();
    assertThatCode(() -> verifySignedAt(now + 300)).doesNotThrowAnyException();
    assertThatThrownBy(() -> verifySignedAt(now - 301)).isInstanceOf(Refusal.InvalidSignature.class)
        .hasMessageContaining("tolerance");
    assertThatThrownBy(() -> verifySignedAt(now + 301)).isInstanceOf(Refusal.InvalidSignature.class)
        .hasMessageContaining("tolerance");
  }

  private static void verifySignedAt(long timestamp) throws Exception {
    String header = Webhook.Signature.generateSignatureHeader(PAYLOAD, SECRET, timestamp);
    StripeSignatures.verify(PAYLOAD, header, List.of(SECRET), NOW);
  }
}
