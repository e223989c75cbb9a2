package dev.boxoffice.backend.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.Boxoffice;
import dev.boxoffice.backend.TestServers;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.outbox.OwnDatabase;
import dev.boxoffice.backend.web.TestApi;
import dev.boxoffice.local.servers.LoopbackPorts;
import dev.boxoffice.local.stripe.LocalStripe;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The backend is gone between Stripe's success and our commit: nothing was written, and nothing is lost. A backend
 * started again on the same database and Stripe account confirms the payment, by Stripe's webhook retries or by
 * reconciliation when no webhook comes. (A database and a Stripe server of their own, so no other test's backend
 * settles these payments first.)
 */
class CrashTest {

  private LocalStripe stripe;
  private LocalStripe.WebhookEndpoint webhook;
  private Config config;
  private TestApi backend;

  @BeforeEach
  void start() throws Exception {
    stripe = LocalStripe.start(new LocalStripe.Settings(0, Duration.ofMillis(500), 8));
    Config base = TestServers.config(Files.createTempDirectory("static"), TestServers.redis());
    config = base.toBuilder()
        .database(OwnDatabase.create("payments_crash"))
        .dataDir(Files.createTempDirectory("boxoffice-crash-data"))
        .http("127.0.0.1", LoopbackPorts.free())
        .auth(new Config.Auth(Optional.empty(), Optional.empty(), Set.of(TestApi.ORGANIZER), base.auth().issuer(),
            base.auth().audience(), base.auth().tokenLifetime(), base.auth().clockSkew(), Map.of()))
        .build();
    webhook = stripe.addWebhookEndpoint("http://127.0.0.1:" + config.httpPort() + TestApi.WEBHOOK_PATH);
    backend = startBackend();
  }

  @AfterEach
  void stop() throws Exception {
    if (backend != null) {
      backend.close();
    }
    stripe.close();
  }

  @Test
  @DisplayName("paid while the backend is down: Stripe's retried webhook confirms it once the backend is back")
  void webhookRetriedAfterRestart() throws Exception {
    String[] paid = holdAndPayWhileDown();

    backend = startBackend();

    new Buyers(backend).awaitHold(paid[0], paid[1], hold -> "confirmed".equals(hold.getString("status")),
        Duration.ofSeconds(30));
  }

  @Test
  @DisplayName("paid while the backend is down and no webhook ever comes: reconciliation confirms it after restart")
  void reconciledAfterRestart() throws Exception {
    stripe.setWebhookEndpointEnabled(webhook.id(), false);
    String[] paid = holdAndPayWhileDown();

    backend = startBackend();
    Buyers buyers = new Buyers(backend);
    buyers.reconcileNow(paid[0]);

    buyers.awaitHold(paid[0], paid[1], hold -> "confirmed".equals(hold.getString("status")), Duration.ofSeconds(30));
    assertThat(buyers.ticketType(buyers.holdOf(paid[0], paid[1]).getString("ticketTypeId")).getInteger("sold"))
        .isEqualTo(2);
  }

  /** A hold and its checkout, then the backend gone, then the buyer pays; returns the hold's id and buyer. */
  private String[] holdAndPayWhileDown() throws Exception {
    String buyer = "crash@example.org";
    String ticketTypeId = backend.ticketTypeOnSale(backend.publishedEvent("Crash"), 10, 4, 2_200, "EUR");
    Buyers buyers = new Buyers(backend);
    String holdId = buyers.hold(ticketTypeId, buyer, 2).getString("id");
    String url = buyers.checkoutUrl(holdId, buyer);
    backend.close();
    backend = null;

    assertThat(Buyers.pay(url, Buyers.SUCCEEDS).statusCode()).as("Stripe took the money").isEqualTo(303);
    Buyers.sleep(700);
    return new String[] {holdId, buyer};
  }

  private TestApi startBackend() throws Exception {
    Duration quick = Duration.ofMillis(500);
    return TestApi.start(config, Boxoffice.Tuning.defaults().withPaymentJobIntervals(quick, quick), stripe, webhook);
  }
}
