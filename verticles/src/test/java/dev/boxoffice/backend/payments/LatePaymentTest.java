package dev.boxoffice.backend.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.model.Refund;
import com.stripe.param.RefundListParams;
import dev.boxoffice.backend.Boxoffice;
import dev.boxoffice.backend.TestServers;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.outbox.OwnDatabase;
import dev.boxoffice.backend.web.TestApi;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A payment that succeeds after its hold ran out, on the real backend, PostgreSQL, Redis and the local Stripe server.
 * Reconciliation ends a released hold's checkout at Stripe within seconds; the payment that lands in those seconds is
 * what this class is about, so its backend's reconciliation is slowed to an hour (refunds still run every half second),
 * on a database and Stripe of its own, so no other backend ends the checkout first.
 */
class LatePaymentTest {

  private static final Duration SETTLED = Duration.ofSeconds(20);

  private static TestApi api;
  private static Buyers buyers;
  private static StripeClient stripe;

  @BeforeAll
  static void start() throws Exception {
    Config base = TestServers.config(Files.createTempDirectory("static"), TestServers.redis());
    Config config = base.toBuilder()
        .database(OwnDatabase.create("late_payments"))
        .dataDir(Files.createTempDirectory("boxoffice-late-data"))
        .http("127.0.0.1", LoopbackPorts.free())
        .auth(new Config.Auth(Optional.empty(), Optional.empty(), Set.of(TestApi.ORGANIZER), base.auth().issuer(),
            base.auth().audience(), base.auth().tokenLifetime(), base.auth().clockSkew(), Map.of()))
        .build();
    api = TestApi.start(config, Boxoffice.Tuning.defaults()
        .withPaymentJobIntervals(Duration.ofHours(1), Duration.ofMillis(500)));
    buyers = new Buyers(api);
    stripe = StripeClient.builder().setApiKey(api.stripe().secretKey()).setApiBase(api.stripe().apiBase().toString())
        .build();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  @DisplayName("paid after the hold ran out, with its tickets still there: confirmed all the same")
  void paidLateWithCapacity() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Late but fine"), 5, 4, 2_000, "EUR");
    String holdId = buyers.hold(ticketTypeId, "slow@example.org", 2).getString("id");
    String url = buyers.checkoutUrl(holdId, "slow@example.org");
    expiredAndReleased(ticketTypeId, holdId);

    Buyers.pay(url, Buyers.SUCCEEDS);

    JsonObject hold = buyers.awaitHold(holdId, "slow@example.org", each -> "confirmed".equals(each.getString("status")),
        SETTLED);
    assertThat(hold.getJsonArray("refunds")).isEmpty();
    Row counts = buyers.ticketType(ticketTypeId);
    assertThat(counts.getInteger("sold")).isEqualTo(2);
    assertThat(counts.getInteger("held")).isZero();
  }

  @Test
  @DisplayName("paid after the hold ran out and its tickets were sold to another: refunded whole, and the buyer told")
  void paidLateWithoutCapacity() throws Exception {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Late and gone"), 1, 1, 4_900, "EUR");
    String holdId = buyers.hold(ticketTypeId, "too.slow@example.org", 1).getString("id");
    String url = buyers.checkoutUrl(holdId, "too.slow@example.org");
    expiredAndReleased(ticketTypeId, holdId);
    String otherHold = buyers.hold(ticketTypeId, "quick@example.org", 1).getString("id");

    Buyers.pay(url, Buyers.SUCCEEDS);

    JsonObject refunded = buyers.awaitHold(holdId, "too.slow@example.org", each -> !each.getJsonArray("refunds")
        .isEmpty() && "succeeded".equals(each.getJsonArray("refunds").getJsonObject(0).getString("status")), SETTLED);
    assertThat(refunded.getString("status")).isEqualTo("expired");
    JsonObject refund = refunded.getJsonArray("refunds").getJsonObject(0);
    assertThat(refund.getString("reason")).isEqualTo("payment_too_late");
    assertThat(refund.getLong("amountMinor")).isEqualTo(4_900);
    assertThat(buyers.holdOf(otherHold, "quick@example.org").getString("status")).isEqualTo("active");
    Row counts = buyers.ticketType(ticketTypeId);
    assertThat(counts.getInteger("sold") + counts.getInteger("held")).as("never oversold").isEqualTo(1);
    assertThat(buyers.count("SELECT count(*) FROM orders WHERE ticket_type_id = $1", UUID.fromString(ticketTypeId)))
        .isZero();
    assertThat(buyers.count("SELECT count(*) FROM outbox WHERE type = 'PaymentRefunded' AND aggregate_id = $1",
        UUID.fromString(holdId))).as("the buyer is told").isEqualTo(1);
    String intent = stripe.v1().checkout().sessions().retrieve(checkoutId(holdId)).getPaymentIntent();
    List<Refund> atStripe = stripe.v1().refunds().list(RefundListParams.builder().setPaymentIntent(intent).build())
        .getData();
    assertThat(atStripe).extracting(Refund::getAmount).containsExactly(4_900L);
  }

  @Test
  @DisplayName("paid after the hold ran out while the buyer took the event's limit elsewhere: refunded whole, never"
      + " over the limit")
  void paidLateOverTheBuyerLimit() {
    String eventId = api.publishedEvent("Late and greedy", new JsonObject().put("maxTicketsPerBuyer", 2));
    String ticketTypeId = api.ticketTypeOnSale(eventId, 10, 2, 3_000, "EUR");
    String holdId = buyers.hold(ticketTypeId, "greedy@example.org", 2).getString("id");
    String url = buyers.checkoutUrl(holdId, "greedy@example.org");
    expiredAndReleased(ticketTypeId, holdId);
    String second = buyers.hold(ticketTypeId, "greedy@example.org", 2).getString("id");

    Buyers.pay(url, Buyers.SUCCEEDS);

    JsonObject refunded = buyers.awaitHold(holdId, "greedy@example.org", each -> !each.getJsonArray("refunds")
        .isEmpty(), SETTLED);
    assertThat(refunded.getString("status")).isEqualTo("expired");
    assertThat(refunded.getJsonArray("refunds").getJsonObject(0).getString("reason")).isEqualTo("over_buyer_limit");
    assertThat(buyers.holdOf(second, "greedy@example.org").getString("status")).isEqualTo("active");
    assertThat(buyers.count("SELECT count(*) FROM orders WHERE ticket_type_id = $1", UUID.fromString(ticketTypeId)))
        .isZero();
    Row counts = buyers.ticketType(ticketTypeId);
    assertThat(counts.getInteger("held")).isEqualTo(2);
    assertThat(counts.getInteger("sold")).isZero();
  }

  /** The hold runs out while its checkout is open: the sweeper releases it and its tickets are on sale again. */
  private static void expiredAndReleased(String ticketTypeId, String holdId) {
    buyers.expire(holdId);
    String buyer = buyers.query("SELECT buyer_email FROM holds WHERE id = $1", UUID.fromString(holdId)).iterator()
        .next().getString("buyer_email");
    buyers.awaitHold(holdId, buyer, each -> "expired".equals(each.getString("status")), SETTLED);
    assertThat(buyers.ticketType(ticketTypeId).getInteger("held")).isZero();
  }

  private static String checkoutId(String holdId) {
    return buyers.query("SELECT checkout_id FROM holds WHERE id = $1", UUID.fromString(holdId)).iterator().next()
        .getString("checkout_id");
  }
}
