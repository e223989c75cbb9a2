package dev.boxoffice.backend.payments;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A buyer pays for a hold on the local Stripe server's hosted page, with Stripe's test cards, and the backend learns
 * of it by the signed webhook: the real stripe-java client, PostgreSQL, Redis and a Stripe-compatible server.
 */
class PaymentsTest {

  private static final Duration SETTLED = Duration.ofSeconds(15);

  private static TestApi api;
  private static Buyers buyers;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
    buyers = new Buyers(api);
  }

  @Test
  @DisplayName("paid with a success card, a hold becomes the order of its id, then OrderPlaced as for any order")
  void paysWithSuccessCard() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Paid"), 10, 4, 2_500, "EUR");
    JsonObject hold = buyers.hold(ticketTypeId, "payer@example.org", 2);
    String holdId = hold.getString("id");
    assertThat(hold.getLong("totalMinor")).isEqualTo(5_000);

    String url = buyers.checkoutUrl(holdId, "payer@example.org");
    assertThat(buyers.checkoutUrl(holdId, "payer@example.org")).as("asking again, the same page").isEqualTo(url);
    var paid = Buyers.pay(url, Buyers.SUCCEEDS);

    assertThat(paid.statusCode()).isEqualTo(303);
    assertThat(paid.headers().firstValue("Location").orElseThrow())
        .isEqualTo(api.app().config().payments().publicUrl() + "/holds/" + holdId + "?checkout=success");
    JsonObject confirmed = buyers.awaitHold(holdId, "payer@example.org",
        each -> "confirmed".equals(each.getString("status")), SETTLED);
    assertThat(confirmed.getString("orderId")).isEqualTo(holdId);
    assertThat(confirmed.getJsonObject("payment").getLong("paidMinor")).isEqualTo(5_000);
    HttpResponse<Buffer> order = api.send(HttpMethod.GET, "/api/orders/" + holdId,
        api.buyerToken("payer@example.org"), null);
    assertThat(order.bodyAsJsonObject().getString("status")).isEqualTo("placed");
    assertThat(order.bodyAsJsonObject().getLong("paidMinor")).isEqualTo(5_000);
    assertThat(order.bodyAsJsonObject().getJsonArray("tickets")).hasSize(2);
    Row counts = buyers.ticketType(ticketTypeId);
    assertThat(counts.getInteger("sold")).isEqualTo(2);
    assertThat(counts.getInteger("held")).isZero();
    assertThat(buyers.count("SELECT count(*) FROM outbox WHERE type = 'OrderPlaced' AND aggregate_id = $1",
        UUID.fromString(holdId))).isEqualTo(1);
  }

  @Test
  @DisplayName("declined and insufficient-funds cards keep the hold, tell the buyer why, and another card still pays")
  void declinedThenPaid() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Declined"), 10, 4, 1_800, "EUR");
    String holdId = buyers.hold(ticketTypeId, "unlucky@example.org", 1).getString("id");
    String url = buyers.checkoutUrl(holdId, "unlucky@example.org");

    var declined = Buyers.pay(url, Buyers.DECLINED);
    assertThat(declined.statusCode()).isEqualTo(402);
    assertThat(declined.body()).contains("Your card was declined.");
    JsonObject afterDecline = buyers.awaitHold(holdId, "unlucky@example.org",
        each -> "Your card was declined.".equals(each.getJsonObject("payment").getString("error")), SETTLED);
    assertThat(afterDecline.getString("status")).isEqualTo("active");
    Buyers.pay(url, Buyers.INSUFFICIENT_FUNDS);
    buyers.awaitHold(holdId, "unlucky@example.org",
        each -> "Your card has insufficient funds.".equals(each.getJsonObject("payment").getString("error")), SETTLED);
    assertThat(buyers.count("SELECT count(*) FROM outbox WHERE type = 'PaymentDeclined' AND aggregate_id = $1",
        UUID.fromString(holdId))).as("the buyer is told each time").isEqualTo(2);

    assertThat(Buyers.pay(url, Buyers.SUCCEEDS).statusCode()).isEqualTo(303);
    JsonObject confirmed = buyers.awaitHold(holdId, "unlucky@example.org",
        each -> "confirmed".equals(each.getString("status")), SETTLED);
    assertThat(confirmed.getJsonObject("payment").containsKey("error")).isFalse();
  }

  @Test
  @DisplayName("a card that needs 3-D Secure pays once the challenge is completed")
  void threeDSecure() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("3DS"), 10, 4, 3_000, "GBP");
    String holdId = buyers.hold(ticketTypeId, "secure@example.org", 1).getString("id");
    String url = buyers.checkoutUrl(holdId, "secure@example.org");

    var challenged = Buyers.pay(url, Buyers.THREE_D_SECURE);
    assertThat(Buyers.authenticate(url, challenged, true).statusCode()).isEqualTo(303);

    buyers.awaitHold(holdId, "secure@example.org", each -> "confirmed".equals(each.getString("status")), SETTLED);
  }

  @Test
  @DisplayName("yen have no minor unit: ¥5,000 a ticket is charged 10000 for two, and paid exactly that")
  void zeroDecimalCurrency() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Tokyo"), 10, 4, 5_000, "JPY");
    String holdId = buyers.hold(ticketTypeId, "yen@example.org", 2).getString("id");

    String url = buyers.checkoutUrl(holdId, "yen@example.org");
    assertThat(Buyers.pay(url, "4000000000009995").body()).contains("Pay JPY 10000");
    Buyers.pay(url, Buyers.SUCCEEDS);

    JsonObject confirmed = buyers.awaitHold(holdId, "yen@example.org",
        each -> "confirmed".equals(each.getString("status")), SETTLED);
    assertThat(confirmed.getJsonObject("payment").getLong("paidMinor")).isEqualTo(10_000);
  }

  @Test
  @DisplayName("holds belong to their buyer; a priced type is not sold without payment, a free one not held")
  void ownershipAndKinds() {
    String eventId = api.publishedEvent("Kinds");
    String priced = api.ticketTypeOnSale(eventId, 10, 4, 900, "EUR");
    String free = api.ticketTypeOnSale(eventId, 10, 4);
    String holdId = buyers.hold(priced, "owner@example.org", 1).getString("id");

    assertThat(api.send(HttpMethod.GET, "/api/holds/" + holdId, api.buyerToken("thief@example.org"), null)
        .statusCode()).isEqualTo(404);
    assertThat(buyers.checkout(holdId, "thief@example.org").statusCode()).isEqualTo(404);
    HttpResponse<Buffer> unpaid = TestApi.await(api.purchase(priced, api.buyerToken("owner@example.org"),
        TestApi.newKey(), 1));
    assertThat(unpaid.statusCode()).isEqualTo(409);
    assertThat(unpaid.bodyAsJsonObject().getString("code")).isEqualTo("payment_required");
    HttpResponse<Buffer> heldFree = TestApi.await(api.hold(free, api.buyerToken("owner@example.org"),
        TestApi.newKey(), 1));
    assertThat(heldFree.statusCode()).isEqualTo(409);
    assertThat(heldFree.bodyAsJsonObject().getString("code")).isEqualTo("free_ticket_type");
  }

  @Test
  @DisplayName("the buyer's cancel returns the tickets at once; the hold can then no longer be paid")
  void buyerCancels() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Changed my mind"), 3, 4, 1_000, "EUR");
    String holdId = buyers.hold(ticketTypeId, "undecided@example.org", 3).getString("id");
    assertThat(buyers.ticketType(ticketTypeId).getInteger("held")).isEqualTo(3);

    JsonObject cancelled = api.send(HttpMethod.POST, "/api/holds/" + holdId + "/cancel",
        api.buyerToken("undecided@example.org"), null).bodyAsJsonObject();

    assertThat(cancelled.getString("status")).isEqualTo("cancelled");
    assertThat(buyers.ticketType(ticketTypeId).getInteger("held")).isZero();
    HttpResponse<Buffer> checkout = buyers.checkout(holdId, "undecided@example.org");
    assertThat(checkout.statusCode()).isEqualTo(409);
    assertThat(checkout.bodyAsJsonObject().getString("code")).isEqualTo("hold_cancelled");
    assertThat(buyers.hold(ticketTypeId, "next@example.org", 3).getString("status")).isEqualTo("active");
  }
}
