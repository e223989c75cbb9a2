package dev.boxoffice.backend.sales;

import static dev.boxoffice.backend.web.TestApi.ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Per-buyer limits per event, as the scalper tries them: many purchases at once, over several ticket types, lanes and
 * backends, with holds, cancellations and expiries going on. The answer is decided in the purchase batch's own
 * transaction, so however the requests are spread, nobody ends up over the limit.
 */
class BuyerLimitTest {

  private static TestApi api;
  private static TestApi twin;
  private static String organizer;

  @BeforeAll
  static void start() throws Exception {
    api = TestApi.shared();
    twin = api.anotherBackend();
    organizer = api.organizerToken(ORGANIZER);
  }

  @AfterAll
  static void stop() {
    twin.close();
  }

  @Test
  @DisplayName("the scalping repro: one buyer sends 40 purchases of 50 at once; the limit is sold, the rest stays on"
      + " sale")
  void oneBuyerCannotBuyTheEventOut() {
    String eventId = api.publishedEvent("Scalped", new JsonObject().put("maxTicketsPerBuyer", 100));
    String ticketTypeId = api.ticketTypeOnSale(eventId, 2_000, 50);
    String scalper = api.buyerToken("scalper@example.org");

    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      sent.add(api.purchase(ticketTypeId, scalper, TestApi.newKey(), 50));
    }
    await(Future.join(sent));

    assertThat(statuses(sent)).containsOnlyKeys(201, 409);
    assertThat(statuses(sent).get(201)).isEqualTo(2);
    sent.stream().map(Future::result).filter(answer -> answer.statusCode() == 409).forEach(answer -> {
      assertThat(answer.bodyAsJsonObject().getString("code")).isEqualTo("buyer_limit_reached");
      assertThat(answer.bodyAsJsonObject().getString("message"))
          .isEqualTo("At most 100 tickets of this event per buyer; you have them all already");
    });
    assertThat(remaining(eventId, ticketTypeId)).isEqualTo(1_900);
    assertThat(await(api.purchase(ticketTypeId, api.buyerToken("fan@example.org"), TestApi.newKey(), 4))
        .statusCode()).as("everybody else still buys").isEqualTo(201);
  }

  @Test
  @DisplayName("the limit counts every ticket type of the event, orders and active holds together, and says what is"
      + " left")
  void ordersAndHoldsOfAllTypesCount() {
    String eventId = api.publishedEvent("Four each", new JsonObject().put("maxTicketsPerBuyer", 4));
    String free = api.ticketTypeOnSale(eventId, 100, 10);
    String priced = api.ticketTypeOnSale(eventId, 100, 10, 2_500, "EUR");
    String other = api.ticketTypeOnSale(api.publishedEvent("Another event"), 100, 10);
    String buyer = api.buyerToken("four@example.org");

    assertThat(await(api.purchase(free, buyer, TestApi.newKey(), 2)).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> held = await(api.hold(priced, buyer, TestApi.newKey(), 1));
    HttpResponse<Buffer> over = await(api.hold(priced, buyer, TestApi.newKey(), 2));
    HttpResponse<Buffer> last = await(api.purchase(free, buyer, TestApi.newKey(), 1));
    HttpResponse<Buffer> none = await(api.purchase(free, buyer, TestApi.newKey(), 1));
    HttpResponse<Buffer> elsewhere = await(api.purchase(other, buyer, TestApi.newKey(), 10));

    assertThat(held.statusCode()).isEqualTo(201);
    assertThat(over.statusCode()).isEqualTo(409);
    assertThat(over.bodyAsJsonObject().getString("message"))
        .isEqualTo("At most 4 tickets of this event per buyer; you may take 1 more");
    assertThat(over.bodyAsJsonObject().getString("field")).isEqualTo("quantity");
    assertThat(last.statusCode()).isEqualTo(201);
    assertThat(none.statusCode()).isEqualTo(409);
    assertThat(none.bodyAsJsonObject().getString("code")).isEqualTo("buyer_limit_reached");
    assertThat(elsewhere.statusCode()).as("another event has its own count").isEqualTo(201);
    assertThat(taken(eventId, "four@example.org")).isEqualTo(4);
  }

  @Test
  @DisplayName("tickets given back (a cancelled hold, an expired hold, a cancelled order) may be taken again")
  void givenBackCountsNoMore() {
    String eventId = api.publishedEvent("Second chances", new JsonObject().put("maxTicketsPerBuyer", 3));
    String free = api.ticketTypeOnSale(eventId, 100, 3);
    String priced = api.ticketTypeOnSale(eventId, 100, 3, 1_000, "EUR");
    String buyer = api.buyerToken("again@example.org");

    String holdId = created(api.hold(priced, buyer, TestApi.newKey(), 3)).getString("id");
    assertThat(await(api.purchase(free, buyer, TestApi.newKey(), 1)).statusCode()).isEqualTo(409);
    assertThat(api.send(HttpMethod.POST, "/api/holds/" + holdId + "/cancel", buyer, null).statusCode())
        .isEqualTo(200);
    String expiring = created(api.hold(priced, buyer, TestApi.newKey(), 3)).getString("id");
    await(api.app().pool().preparedQuery("UPDATE holds SET expires_at = now() - interval '1 second' WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(expiring))));
    String orderId = created(api.purchase(free, buyer, TestApi.newKey(), 3)).getString("id");
    assertThat(api.send(HttpMethod.POST, "/api/orders/" + orderId + "/cancel", organizer, null).statusCode())
        .isEqualTo(200);

    assertThat(await(api.purchase(free, buyer, TestApi.newKey(), 3)).statusCode()).isEqualTo(201);
    assertThat(taken(eventId, "again@example.org")).isEqualTo(3);
  }

  @Test
  @DisplayName("the same buyers buy two ticket types of one event at once through two backends, while orders are"
      + " cancelled: nobody over the limit, no batch rolled back")
  void twoTypesTwoBackendsAtOnce() {
    int limit = 4;
    String eventId = api.publishedEvent("Two lanes", new JsonObject().put("maxTicketsPerBuyer", limit));
    String stalls = api.ticketTypeOnSale(eventId, 5_000, 3);
    String balcony = api.ticketTypeOnSale(eventId, 5_000, 3);
    List<String> buyers = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      buyers.add("pair" + i + "@example.org");
    }

    for (int round = 0; round < 3; round++) {
      List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
      List<Future<HttpResponse<Buffer>>> cancelled = new ArrayList<>();
      for (int i = 0; i < buyers.size(); i++) {
        String token = api.buyerToken(buyers.get(i));
        for (int attempt = 0; attempt < 3; attempt++) {
          int quantity = 1 + (i + attempt) % 3;
          sent.add(api.purchase(stalls, token, TestApi.newKey(), quantity));
          sent.add(twin.purchase(balcony, token, TestApi.newKey(), quantity));
        }
      }
      placedOrderIds(eventId).stream().limit(20).forEach(orderId -> cancelled.add(
          twin.request(HttpMethod.POST, "/api/orders/" + orderId + "/cancel", organizer).send()));
      await(Future.join(sent));
      await(Future.join(cancelled));

      assertThat(statuses(sent)).as("201 or 409, never a 503 of a batch rolled back").containsOnlyKeys(201, 409);
      sent.stream().map(Future::result).filter(answer -> answer.statusCode() == 409).forEach(answer ->
          assertThat(answer.bodyAsJsonObject().getString("code")).isEqualTo("buyer_limit_reached"));
      Map<String, Long> perBuyer = takenPerBuyer(eventId);
      assertThat(perBuyer.values()).as("tickets per buyer").allSatisfy(tickets -> assertThat(tickets)
          .isLessThanOrEqualTo(limit));
      assertThat(perBuyer.values()).as("the limit was reached, not just stayed under").contains((long) limit);
    }
  }

  @Test
  @DisplayName("an organizer sets, changes and removes the limit; bad values answer 400")
  void organizerSetsTheLimit() {
    String eventId = api.publishedEvent("Adjustable", new JsonObject().put("maxTicketsPerBuyer", 2));
    String ticketTypeId = api.ticketTypeOnSale(eventId, 100, 10);
    String buyer = api.buyerToken("adjusted@example.org");
    assertThat(await(api.purchase(ticketTypeId, buyer, TestApi.newKey(), 3)).statusCode()).isEqualTo(409);

    JsonObject raised = api.send(HttpMethod.PATCH, "/api/events/" + eventId, organizer,
        new JsonObject().put("maxTicketsPerBuyer", 5)).bodyAsJsonObject();
    HttpResponse<Buffer> bought = await(api.purchase(ticketTypeId, buyer, TestApi.newKey(), 3));
    JsonObject publicEvent = api.send(HttpMethod.GET, "/api/events/" + eventId, null, null).bodyAsJsonObject();
    JsonObject kept = api.send(HttpMethod.PATCH, "/api/events/" + eventId, organizer,
        new JsonObject().put("title", "Adjusted")).bodyAsJsonObject();
    JsonObject removed = api.send(HttpMethod.PATCH, "/api/events/" + eventId, organizer,
        new JsonObject().putNull("maxTicketsPerBuyer")).bodyAsJsonObject();
    HttpResponse<Buffer> unlimited = await(api.purchase(ticketTypeId, buyer, TestApi.newKey(), 10));
    HttpResponse<Buffer> zero = api.send(HttpMethod.PATCH, "/api/events/" + eventId, organizer,
        new JsonObject().put("maxTicketsPerBuyer", 0));

    assertThat(raised.getInteger("maxTicketsPerBuyer")).isEqualTo(5);
    assertThat(bought.statusCode()).isEqualTo(201);
    assertThat(publicEvent.getInteger("maxTicketsPerBuyer")).as("buyers see the limit").isEqualTo(5);
    assertThat(kept.getInteger("maxTicketsPerBuyer")).isEqualTo(5);
    assertThat(removed.containsKey("maxTicketsPerBuyer")).isFalse();
    assertThat(unlimited.statusCode()).isEqualTo(201);
    assertThat(zero.statusCode()).isEqualTo(400);
    assertThat(zero.bodyAsJsonObject().getString("field")).contains("maxTicketsPerBuyer");
  }

  private static JsonObject created(Future<HttpResponse<Buffer>> sent) {
    HttpResponse<Buffer> answer = await(sent);
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(201);
    return answer.bodyAsJsonObject();
  }

  private static Map<Integer, Integer> statuses(List<Future<HttpResponse<Buffer>>> sent) {
    Map<Integer, Integer> statuses = new HashMap<>();
    sent.forEach(answer -> statuses.merge(answer.result().statusCode(), 1, Integer::sum));
    return statuses;
  }

  private static int remaining(String eventId, String ticketTypeId) {
    JsonObject event = api.send(HttpMethod.GET, "/api/events/" + eventId, null, null).bodyAsJsonObject();
    return event.getJsonArray("ticketTypes").stream().map(JsonObject.class::cast)
        .filter(type -> type.getString("id").equals(ticketTypeId)).findFirst().orElseThrow().getInteger("remaining");
  }

  private static long taken(String eventId, String buyer) {
    return takenPerBuyer(eventId).getOrDefault(buyer, 0L);
  }

  /**
   * Each buyer's tickets of the event in placed orders and live holds (active and not past their expiry, which the
   * sweeper may not have released yet), as the database has them.
   */
  private static Map<String, Long> takenPerBuyer(String eventId) {
    Map<String, Long> taken = new HashMap<>();
    for (Row row : await(api.app().pool().preparedQuery("SELECT buyer_email, sum(quantity) AS tickets FROM ("
        + " SELECT buyer_email, quantity FROM orders WHERE event_id = $1 AND status = 'placed' UNION ALL"
        + " SELECT buyer_email, quantity FROM holds WHERE event_id = $1 AND status = 'active' AND expires_at > now()) t"
        + " GROUP BY buyer_email")
        .execute(Tuple.of(UUID.fromString(eventId))))) {
      taken.put(row.getString("buyer_email"), row.getLong("tickets"));
    }
    return taken;
  }

  private static List<UUID> placedOrderIds(String eventId) {
    List<UUID> ids = new ArrayList<>();
    await(api.app().pool().preparedQuery("SELECT id FROM orders WHERE event_id = $1 AND status = 'placed'")
        .execute(Tuple.of(UUID.fromString(eventId)))).forEach(row -> ids.add(row.getUUID("id")));
    return ids;
  }
}
