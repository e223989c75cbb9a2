package dev.boxoffice.backend.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The webhook endpoint trusts only Stripe: v1 HMAC-SHA256 over {@code t.payload} with the endpoint secret, within 5
 * minutes, any of several signatures (secret rotation); everything else is a 400 that acts on nothing.
 */
class WebhookSignatureTest {

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
  }

  @Test
  @DisplayName("a signed event is accepted; unsigned, wrongly signed, altered or replayed ones answer 400")
  void onlySignedFreshEvents() {
    String payload = event();
    String secret = api.webhook().secret();
    long now = Instant.now().getEpochSecond();

    assertThat(Webhooks.deliverSigned(api, payload, secret).statusCode()).isEqualTo(200);
    assertRefused(Webhooks.deliver(api, payload, (String) null));
    assertRefused(Webhooks.deliver(api, payload, Webhooks.signature(payload, "whsec_not_ours", now)));
    assertRefused(Webhooks.deliver(api, payload.replace("ping", "pong"), Webhooks.signature(payload, secret, now)));
    // The backend reads its clock after ours, seconds later on a busy machine: one second past the tolerance ahead
    // could fall back inside it. StripeSignaturesTest holds the exact bounds with a fixed clock.
    assertRefused(Webhooks.deliver(api, payload, Webhooks.signature(payload, secret, now - 360)));
    assertRefused(Webhooks.deliver(api, payload, Webhooks.signature(payload, secret, now + 360)));
    assertRefused(Webhooks.deliver(api, payload, "t=" + now + ",v0=" + "ab".repeat(32)));
    assertRefused(Webhooks.deliver(api, payload, "garbage"));
  }

  @Test
  @DisplayName("while a secret is rolled, Stripe signs with both: a header holding ours among others is accepted")
  void rotation() {
    String payload = event();
    long now = Instant.now().getEpochSecond();
    String ours = Webhooks.signature(payload, api.webhook().secret(), now);
    String theirs = Webhooks.signature(payload, "whsec_the_next_secret", now);

    String both = theirs + "," + ours.substring(ours.indexOf("v1="));

    assertThat(Webhooks.deliver(api, payload, both).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a delivery from the local Stripe server with a rolled secret still reaches the backend")
  void rolledAtTheServer() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Rolled"), 5, 2, 800, "EUR");
    Buyers buyers = new Buyers(api);
    String holdId = buyers.hold(ticketTypeId, "rolled@example.org", 1).getString("id");
    api.stripe().rollWebhookSecret(api.webhook().id(), Duration.ofMinutes(10));

    Buyers.pay(buyers.checkoutUrl(holdId, "rolled@example.org"), Buyers.SUCCEEDS);

    buyers.awaitHold(holdId, "rolled@example.org", hold -> "confirmed".equals(hold.getString("status")),
        Duration.ofSeconds(15));
  }

  private static void assertRefused(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
    assertThat(response.bodyAsJsonObject().getString("code")).isIn("invalid_signature", "invalid_request");
  }

  private static String event() {
    return "{\"id\":\"evt_" + UUID.randomUUID().toString().replace("-", "") + "\",\"object\":\"event\","
        + "\"type\":\"ping\",\"data\":{\"object\":{}}}";
  }
}
