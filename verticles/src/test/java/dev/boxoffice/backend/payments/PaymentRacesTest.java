package dev.boxoffice.backend.payments;

import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
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
 * The races of paying for a hold, each on the real backend, PostgreSQL, Redis and the local Stripe server: payment
 * and expiry at the same instant, a webhook twice, out of order, before the buyer's return or never. (A payment after
 * the hold ran out: {@link LatePaymentTest}.)
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
    buyers.awaitHold(holdId, "twice@example.org", each -> each.getJsonObject("payment").containsKey("error"), SETTLED);
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

  /** Confirmed, refunded, or its checkout ended unpaid (reconciliation ended it before the card was submitted). */
  private static boolean settled(JsonObject hold) {
    return "confirmed".equals(hold.getString("status")) || hold.getJsonArray("refunds").stream()
        .anyMatch(refund -> "succeeded".equals(((JsonObject) refund).getString("status")))
        || "expired".equals(hold.getJsonObject("payment").getString("status"));
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
