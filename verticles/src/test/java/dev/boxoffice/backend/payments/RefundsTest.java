package dev.boxoffice.backend.payments;

import static org.assertj.core.api.Assertions.assertThat;

import com.stripe.StripeClient;
import com.stripe.model.Refund;
import com.stripe.param.RefundListParams;
import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Organizers cancelling paid orders and events: the money goes back through Stripe, and everyone can see it. */
class RefundsTest {

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

  @Test
  @DisplayName("an organizer cancels a paid order: tickets void, the whole payment refunded at Stripe, the buyer and"
      + " the organizer see it, and the buyer is told")
  void cancelledOrderRefunded() throws Exception {
    String eventId = api.publishedEvent("Refunded order");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 10, 4, 3_500, "EUR");
    String orderId = paidHold(ticketTypeId, "refundee@example.org", 2);

    HttpResponse<Buffer> cancelled = api.send(HttpMethod.POST, "/api/orders/" + orderId + "/cancel",
        api.organizerToken(TestApi.ORGANIZER), null);

    assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(200);
    assertThat(cancelled.bodyAsJsonObject().getJsonArray("refunds").getJsonObject(0).getString("status"))
        .isEqualTo("pending");
    JsonObject order = awaitRefunded(orderId, "refundee@example.org");
    assertThat(order.getString("status")).isEqualTo("cancelled");
    JsonObject refund = order.getJsonArray("refunds").getJsonObject(0);
    assertThat(refund.getLong("amountMinor")).isEqualTo(7_000);
    assertThat(refund.getString("reason")).isEqualTo("order_cancelled");
    assertThat(order.getJsonArray("tickets")).allSatisfy(ticket ->
        assertThat(((JsonObject) ticket).getString("status")).isEqualTo("cancelled"));
    assertThat(refundsAtStripe(orderId)).containsExactly(7_000L);
    assertThat(buyers.count("SELECT count(*) FROM outbox WHERE type = 'PaymentRefunded' AND aggregate_id = $1",
        UUID.fromString(orderId))).isEqualTo(1);
    JsonObject sales = summaryOf(eventId);
    assertThat(sales.getLong("refunded")).isEqualTo(2);
    assertThat(sales.getLong("refundedMinor")).isEqualTo(7_000);
    assertThat(sales.getLong("revenueMinor")).isZero();
    assertThat(sales.getInteger("remaining")).as("the tickets are on sale again").isEqualTo(10);
  }

  @Test
  @DisplayName("an organizer cancels an event: every paid order refunded once, active holds end, nothing sold or held")
  void cancelledEventRefundsAll() throws Exception {
    String eventId = api.publishedEvent("Refunded event");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 10, 4, 1_250, "EUR");
    String first = paidHold(ticketTypeId, "first.fan@example.org", 1);
    String second = paidHold(ticketTypeId, "second.fan@example.org", 3);
    String holding = buyers.hold(ticketTypeId, "late.fan@example.org", 2).getString("id");
    String openCheckout = buyers.checkoutUrl(holding, "late.fan@example.org");

    HttpResponse<Buffer> cancelled = api.send(HttpMethod.POST, "/api/events/" + eventId + "/cancel",
        api.organizerToken(TestApi.ORGANIZER), null);
    assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(200);
    api.send(HttpMethod.POST, "/api/events/" + eventId + "/cancel", api.organizerToken(TestApi.ORGANIZER), null);

    assertThat(awaitRefunded(first, "first.fan@example.org").getJsonArray("refunds")).hasSize(1);
    assertThat(awaitRefunded(second, "second.fan@example.org").getJsonArray("refunds").getJsonObject(0)
        .getLong("amountMinor")).isEqualTo(3_750);
    assertThat(refundsAtStripe(first)).containsExactly(1_250L);
    assertThat(buyers.holdOf(holding, "late.fan@example.org").getString("status")).isEqualTo("cancelled");
    buyers.awaitHold(holding, "late.fan@example.org",
        each -> "expired".equals(each.getJsonObject("payment").getString("status")), SETTLED);
    assertThat(Buyers.pay(openCheckout, Buyers.SUCCEEDS).body()).as("its checkout was ended at Stripe")
        .contains("This checkout has expired");
    assertThat(buyers.ticketType(ticketTypeId).getInteger("sold")).isZero();
    assertThat(buyers.ticketType(ticketTypeId).getInteger("held")).isZero();
  }

  @Test
  @DisplayName("a payment whose amount is not its hold's is refunded, not confirmed (totals checked against Stripe)")
  void amountMismatchRefunded() throws Exception {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Wrong amount"), 10, 4, 2_000, "EUR");
    String holdId = buyers.hold(ticketTypeId, "mismatch@example.org", 1).getString("id");
    String url = buyers.checkoutUrl(holdId, "mismatch@example.org");
    api.stripe().setWebhookEndpointEnabled(api.webhook().id(), false);
    String intent;
    try {
      Buyers.pay(url, Buyers.SUCCEEDS);
      intent = stripe.v1().checkout().sessions().retrieve(checkoutId(holdId)).getPaymentIntent();
    } finally {
      api.stripe().setWebhookEndpointEnabled(api.webhook().id(), true);
    }
    String forged = """
        {"id": "evt_forged_%s", "object": "event", "type": "checkout.session.completed", "created": %d,
         "data": {"object": {"id": "%s", "object": "checkout.session", "client_reference_id": "%s",
         "status": "complete", "payment_status": "paid", "payment_intent": "%s", "amount_total": 1,
         "currency": "eur"}}}""".formatted(UUID.randomUUID(), Instant.now().getEpochSecond(), checkoutId(holdId),
        holdId, intent);

    HttpResponse<Buffer> delivered = Webhooks.deliverSigned(api, forged, api.webhook().secret());

    assertThat(delivered.statusCode()).as(delivered.bodyAsString()).isEqualTo(200);
    JsonObject hold = buyers.awaitHold(holdId, "mismatch@example.org", each -> !each.getJsonArray("refunds").isEmpty()
        && "succeeded".equals(each.getJsonArray("refunds").getJsonObject(0).getString("status")), SETTLED);
    assertThat(hold.getString("status")).isEqualTo("cancelled");
    assertThat(hold.getJsonArray("refunds").getJsonObject(0).getString("reason")).isEqualTo("amount_mismatch");
    assertThat(buyers.ticketType(ticketTypeId).getInteger("held")).isZero();
    assertThat(buyers.ticketType(ticketTypeId).getInteger("sold")).isZero();
  }

  /** A hold paid with a success card and confirmed; returns its (and its order's) id. */
  static String paidHold(String ticketTypeId, String buyer, int quantity) {
    String holdId = buyers.hold(ticketTypeId, buyer, quantity).getString("id");
    Buyers.pay(buyers.checkoutUrl(holdId, buyer), Buyers.SUCCEEDS);
    buyers.awaitHold(holdId, buyer, each -> "confirmed".equals(each.getString("status")), SETTLED);
    return holdId;
  }

  private static JsonObject awaitRefunded(String orderId, String buyer) {
    Instant deadline = Instant.now().plus(SETTLED);
    JsonObject order;
    do {
      Buyers.sleep(100);
      order = api.send(HttpMethod.GET, "/api/orders/" + orderId, api.buyerToken(buyer), null).bodyAsJsonObject();
    } while (!refunded(order) && Instant.now().isBefore(deadline));
    assertThat(refunded(order)).as("refunded within %s: %s", SETTLED, order).isTrue();
    return order;
  }

  private static boolean refunded(JsonObject order) {
    return !order.getJsonArray("refunds").isEmpty() && order.getJsonArray("refunds").stream()
        .allMatch(refund -> "succeeded".equals(((JsonObject) refund).getString("status")));
  }

  private static List<Long> refundsAtStripe(String holdId) throws Exception {
    String intent = stripe.v1().checkout().sessions().retrieve(checkoutId(holdId)).getPaymentIntent();
    return stripe.v1().refunds().list(RefundListParams.builder().setPaymentIntent(intent).build()).getData()
        .stream().map(Refund::getAmount).toList();
  }

  private static JsonObject summaryOf(String eventId) {
    return api.send(HttpMethod.GET, "/api/events/" + eventId + "/summary", api.organizerToken(TestApi.ORGANIZER),
        null).bodyAsJsonObject().getJsonArray("ticketTypes").getJsonObject(0);
  }

  private static String checkoutId(String holdId) {
    return buyers.query("SELECT checkout_id FROM holds WHERE id = $1", UUID.fromString(holdId)).iterator().next()
        .getString("checkout_id");
  }
}
