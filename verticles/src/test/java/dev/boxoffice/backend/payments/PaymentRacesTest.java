package dev.boxoffice.backend.payments;

import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.model.Refund;
import com.stripe.param.RefundListParams;
import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The races of paying for a hold, each on the real backend, PostgreSQL, Redis and the local Stripe server: a payment
 * after the hold ran out (tickets still there, or gone), payment and expiry at the same instant, a webhook twice,
 * out of order, before the buyer's return or never.
 */
class PaymentRacesTest {

  private static final Duration SETTLED = Duration.ofSeconds(20);

  private static TestApi api;
  private static Buyers buyers;
  private static StripeClient stripe;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
    buyers = new Buyers(api);
    stripe = StripeClient.builder().setApiKey(api.stripe().secretKey()).setApiBase(api.stripe().apiBase().toString())
        .build();
  }

  @AfterAll
  static void enableWebhooks() {
    api.stripe().setWebhookEndpointEnabled(api.webhook().id(), true);
  }

  @Test
  @DisplayName("paid after the hold ran out, with its tickets still there: confirmed all the same")
  void paidLateWithCapacity() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Late but fine"), 5, 4, 2_000, "EUR");
    String holdId = buyers.hold(ticketTypeId, "slow@example.org", 2).getString("id");
    String url = buyers.checkoutUrl(holdId, "slow@example.org");
    releasedWhileCheckoutOpen(ticketTypeId, holdId);

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
    releasedWhileCheckoutOpen(ticketTypeId, holdId);
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
  @DisplayName("payment and expiry at the same instant, 30 times, against a rush for the released tickets: each paid"
      + " hold is confirmed or refunded, never both, and nothing is sold twice")
  void paymentAndExpiryTogether() throws Exception {
    int capacity = 30;
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Photo finish"), capacity, 1, 1_500, "EUR");
    List<String> holds = new ArrayList<>();
    List<String> urls = new ArrayList<>();
    for (int i = 0; i < capacity; i++) {
      String holdId = buyers.hold(ticketTypeId, "photo" + i + "@example.org", 1).getString("id");
      holds.add(holdId);
      urls.add(buyers.checkoutUrl(holdId, "photo" + i + "@example.org"));
    }
    ExecutorService browsers = Executors.newFixedThreadPool(8);
    List<CompletableFuture<?>> racing = new ArrayList<>();
    for (int i = 0; i < capacity; i++) {
      String holdId = holds.get(i);
      String url = urls.get(i);
      racing.add(CompletableFuture.runAsync(() -> buyers.expire(holdId), browsers));
      racing.add(CompletableFuture.runAsync(() -> Buyers.pay(url, Buyers.SUCCEEDS), browsers));
      racing.add(CompletableFuture.runAsync(() -> await(api.hold(ticketTypeId,
          api.buyerToken("rival" + holdId + "@example.org"), TestApi.newKey(), 1)), browsers));
    }
    CompletableFuture.allOf(racing.toArray(CompletableFuture[]::new)).join();
    browsers.shutdown();

    for (int i = 0; i < capacity; i++) {
      String buyer = "photo" + i + "@example.org";
      JsonObject settled = buyers.awaitHold(holds.get(i), buyer, PaymentRacesTest::settled, SETTLED);
      boolean confirmed = "confirmed".equals(settled.getString("status"));
      boolean paid = settled.getJsonObject("payment").containsKey("paidMinor");
      JsonArray refunds = settled.getJsonArray("refunds");
      assertThat(confirmed ^ !refunds.isEmpty() || !paid && refunds.isEmpty())
          .as("paid: confirmed or refunded, never both; unpaid (checkout ended first): neither: %s", settled)
          .isTrue();
    }
    Row counts = buyers.ticketType(ticketTypeId);
    long inOrders = buyers.count("SELECT COALESCE(sum(quantity), 0) FROM orders WHERE ticket_type_id = $1"
        + " AND status = 'placed'", UUID.fromString(ticketTypeId));
    long inHolds = buyers.count("SELECT COALESCE(sum(quantity), 0) FROM holds WHERE ticket_type_id = $1"
        + " AND status = 'active'", UUID.fromString(ticketTypeId));
    assertThat(counts.getInteger("sold")).isEqualTo((int) inOrders);
    assertThat(counts.getInteger("held")).isEqualTo((int) inHolds);
    assertThat(inOrders + inHolds).as("never oversold").isLessThanOrEqualTo(capacity);
  }

  @Test
  @DisplayName("a webhook delivered twice, and an old one after a newer, act once: one order, nothing undone")
  void webhookTwiceAndOutOfOrder() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Twice"), 10, 4, 1_100, "EUR");
    String holdId = buyers.hold(ticketTypeId, "twice@example.org", 1).getString("id");
    String url = buyers.checkoutUrl(holdId, "twice@example.org");
    Buyers.pay(url, Buyers.DECLINED);
    Buyers.pay(url, Buyers.SUCCEEDS);
    buyers.awaitHold(holdId, "twice@example.org", each -> "confirmed".equals(each.getString("status")), SETTLED);

    for (String type : List.of("checkout.session.completed", "payment_intent.payment_failed")) {
      api.stripe().resendEvent(eventOf(type, holdId));
    }
    Buyers.sleep(1_500);

    JsonObject hold = buyers.holdOf(holdId, "twice@example.org");
    assertThat(hold.getString("status")).isEqualTo("confirmed");
    assertThat(hold.getJsonObject("payment").containsKey("error")).as("an old decline changes nothing").isFalse();
    assertThat(buyers.count("SELECT count(*) FROM orders WHERE id = $1", UUID.fromString(holdId))).isEqualTo(1);
    assertThat(buyers.count("SELECT count(*) FROM outbox WHERE type = 'OrderPlaced' AND aggregate_id = $1",
        UUID.fromString(holdId))).isEqualTo(1);
    assertThat(buyers.count("SELECT count(*) FROM outbox WHERE type = 'PaymentDeclined' AND aggregate_id = $1",
        UUID.fromString(holdId))).isEqualTo(1);
    assertThat(buyers.ticketType(ticketTypeId).getInteger("sold")).isEqualTo(1);
  }

  @Test
  @DisplayName("no webhook at all: the buyer's return settles the payment, and reconciliation settles it without one")
  void webhookNever() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Silent provider"), 10, 4, 1_300, "EUR");
    String returning = buyers.hold(ticketTypeId, "returning@example.org", 1).getString("id");
    String vanishing = buyers.hold(ticketTypeId, "vanishing@example.org", 1).getString("id");
    String returningUrl = buyers.checkoutUrl(returning, "returning@example.org");
    String vanishingUrl = buyers.checkoutUrl(vanishing, "vanishing@example.org");
    api.stripe().setWebhookEndpointEnabled(api.webhook().id(), false);
    try {
      Buyers.pay(returningUrl, Buyers.SUCCEEDS);
      Buyers.pay(vanishingUrl, Buyers.SUCCEEDS);
      Buyers.sleep(1_000);
      assertThat(buyers.holdOf(vanishing, "vanishing@example.org").getString("status")).isEqualTo("active");

      JsonObject returned = api.send(HttpMethod.POST, "/api/holds/" + returning + "/payment-check",
          api.buyerToken("returning@example.org"), null).bodyAsJsonObject();
      buyers.reconcileNow(vanishing);

      assertThat(returned.getString("status")).as("settled on the buyer's return").isEqualTo("confirmed");
      buyers.awaitHold(vanishing, "vanishing@example.org", each -> "confirmed".equals(each.getString("status")),
          SETTLED);
    } finally {
      api.stripe().setWebhookEndpointEnabled(api.webhook().id(), true);
    }
  }

  /** The hold runs out while its checkout is open, and reconciliation has not ended that checkout yet. */
  private static void releasedWhileCheckoutOpen(String ticketTypeId, String holdId) {
    buyers.expire(holdId);
    buyers.awaitHold(holdId, holdBuyer(holdId), each -> "expired".equals(each.getString("status")), SETTLED);
    await(api.app().pool().preparedQuery("UPDATE holds SET payment_check_at = now() + interval '1 hour'"
        + " WHERE id = $1").execute(Tuple.of(UUID.fromString(holdId))));
    assertThat(buyers.ticketType(ticketTypeId).getInteger("held")).isZero();
  }

  /** Confirmed, refunded, or its checkout ended unpaid (reconciliation ended it before the card was submitted). */
  private static boolean settled(JsonObject hold) {
    return "confirmed".equals(hold.getString("status")) || hold.getJsonArray("refunds").stream()
        .anyMatch(refund -> "succeeded".equals(((JsonObject) refund).getString("status")))
        || "expired".equals(hold.getJsonObject("payment").getString("status"));
  }

  private static String holdBuyer(String holdId) {
    return buyers.query("SELECT buyer_email FROM holds WHERE id = $1", UUID.fromString(holdId)).iterator().next()
        .getString("buyer_email");
  }

  private static String checkoutId(String holdId) {
    return buyers.query("SELECT checkout_id FROM holds WHERE id = $1", UUID.fromString(holdId)).iterator().next()
        .getString("checkout_id");
  }

  /** The local Stripe server's event of {@code type} about the hold's checkout or payment. */
  private static String eventOf(String type, String holdId) {
    try {
      return stripe.v1().events().list(com.stripe.param.EventListParams.builder().setType(type).setLimit(100L)
              .build()).getData().stream()
          .filter(event -> event.getDataObjectDeserializer().getRawJson().contains(holdId))
          .findFirst().orElseThrow().getId();
    } catch (com.stripe.exception.StripeException e) {
      throw new IllegalStateException(e);
    }
  }
}
