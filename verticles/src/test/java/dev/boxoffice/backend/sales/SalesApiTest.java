package dev.boxoffice.backend.sales;

import static dev.boxoffice.backend.web.TestApi.ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.TestServers;
import dev.boxoffice.backend.cache.PurchaseGate;
import dev.boxoffice.backend.store.PurchaseBatch;
import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SalesApiTest {

  private static TestApi api;
  private static String organizer;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
    organizer = api.organizerToken(ORGANIZER);
  }

  @Test
  @DisplayName("a purchase of free tickets writes its order, unguessable tickets and one OrderPlaced that lists them")
  void purchaseWritesOrderTicketsAndOutbox() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Outbox"), 10, 5);

    JsonObject order = placed(await(api.purchase(ticketTypeId, api.buyerToken("o@example.org"), TestApi.newKey(), 3)));

    assertThat(order.getInteger("quantity")).isEqualTo(3);
    assertThat(order.getLong("totalMinor")).isZero();
    assertThat(order.containsKey("paidMinor")).as("nothing was paid for free tickets").isFalse();
    assertThat(order.getString("status")).isEqualTo("placed");
    JsonArray tickets = order.getJsonArray("tickets");
    assertThat(tickets).hasSize(3);
    tickets.forEach(ticket -> {
      UUID id = UUID.fromString(((JsonObject) ticket).getString("id"));
      assertThat(id.version()).isEqualTo(7);
      assertThat(((JsonObject) ticket).getString("status")).isEqualTo("valid");
    });
    assertThat(outboxCount("OrderPlaced", order.getString("id"))).isEqualTo(1);
    assertThat(outboxCount("TicketIssued", order.getString("id"))).isZero();
    assertThat(orderPlacedTicketIds(order.getString("id")))
        .containsExactlyInAnyOrderElementsOf(tickets.stream().map(t -> ((JsonObject) t).getString("id")).toList());
  }

  @Test
  @DisplayName("a buyer lists their own orders and tickets, newest first, a page at a time")
  void myOrdersAndTickets() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Mine"), 10, 5);
    String token = api.buyerToken("collector@example.org");
    List<String> orderIds = new ArrayList<>();
    for (int quantity = 1; quantity <= 3; quantity++) {
      orderIds.add(placed(await(api.purchase(ticketTypeId, token, TestApi.newKey(), quantity))).getString("id"));
    }
    await(api.purchase(ticketTypeId, api.buyerToken("someone.else@example.org"), TestApi.newKey(), 1));

    JsonObject firstPage = api.send(HttpMethod.GET, "/api/me/orders?limit=2", token, null).bodyAsJsonObject();
    JsonObject secondPage = api.send(HttpMethod.GET, "/api/me/orders?limit=2&cursor="
        + firstPage.getString("nextCursor"), token, null).bodyAsJsonObject();
    JsonObject tickets = api.send(HttpMethod.GET, "/api/me/tickets?limit=100", token, null).bodyAsJsonObject();

    List<String> listed = new ArrayList<>();
    firstPage.getJsonArray("items").forEach(item -> listed.add(((JsonObject) item).getString("id")));
    secondPage.getJsonArray("items").forEach(item -> listed.add(((JsonObject) item).getString("id")));
    assertThat(listed).containsExactly(orderIds.get(2), orderIds.get(1), orderIds.get(0));
    assertThat(secondPage.containsKey("nextCursor")).isFalse();
    assertThat(firstPage.getJsonArray("items").getJsonObject(0).getJsonArray("tickets")).hasSize(3);
    assertThat(tickets.getJsonArray("items")).hasSize(6);
  }

  @Test
  @DisplayName("the organizer of the event reads an order; cancelling it voids the tickets and returns the capacity")
  void organizerCancelsOrder() {
    String eventId = api.publishedEvent("Cancellations");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 2, 2);
    JsonObject order = placed(await(api.purchase(ticketTypeId, api.buyerToken("refund@example.org"),
        TestApi.newKey(), 2)));
    String orderId = order.getString("id");
    assertThat(await(api.purchase(ticketTypeId, api.buyerToken("waiting@example.org"), TestApi.newKey(), 1))
        .statusCode()).isEqualTo(409);

    assertThat(api.send(HttpMethod.GET, "/api/orders/" + orderId, organizer, null).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> cancelled = api.send(HttpMethod.POST, "/api/orders/" + orderId + "/cancel", organizer, null);
    HttpResponse<Buffer> again = api.send(HttpMethod.POST, "/api/orders/" + orderId + "/cancel", organizer, null);

    assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(200);
    assertThat(cancelled.bodyAsJsonObject().getString("status")).isEqualTo("cancelled");
    cancelled.bodyAsJsonObject().getJsonArray("tickets")
        .forEach(ticket -> assertThat(((JsonObject) ticket).getString("status")).isEqualTo("cancelled"));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(await(api.app().pool().preparedQuery("SELECT count(*) FROM tickets WHERE order_id = $1"
        + " AND status <> 'cancelled'").execute(Tuple.of(UUID.fromString(orderId)))).iterator().next().getLong(0))
        .isZero();
    assertThat(outboxCount("OrderCancelled", orderId)).isEqualTo(1);
    assertThat(await(api.purchase(ticketTypeId, api.buyerToken("waiting@example.org"), TestApi.newKey(), 1))
        .statusCode()).as("the sold-out flag was cleared").isEqualTo(201);
  }

  @Test
  @DisplayName("an Idempotency-Key reused for a different purchase answers 422 and buys nothing more")
  void keyReusedForAnotherPurchase() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Keys"), 10, 5);
    String token = api.buyerToken("reuser@example.org");
    String key = TestApi.newKey();
    placed(await(api.purchase(ticketTypeId, token, key, 1)));

    HttpResponse<Buffer> reused = await(api.purchase(ticketTypeId, token, key, 2));

    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(reused.bodyAsJsonObject().getString("code")).isEqualTo("idempotency_key_reused");
    assertThat(await(api.purchase(ticketTypeId, api.buyerToken("other.reuser@example.org"), key, 2)).statusCode())
        .as("keys are per buyer").isEqualTo(201);
  }

  @Test
  @DisplayName("after a sellout, a retry of a purchase that succeeded still gets its original order")
  void replayBehindSoldOutFlag() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Sold out replay"), 2, 2);
    String token = api.buyerToken("lucky@example.org");
    String key = TestApi.newKey();
    JsonObject original = placed(await(api.purchase(ticketTypeId, token, key, 2)));
    assertThat(await(api.purchase(ticketTypeId, api.buyerToken("late@example.org"), TestApi.newKey(), 1))
        .statusCode()).isEqualTo(409);
    assertThat(await(api.app().redis().send(Request.cmd(Command.EXISTS).arg("bo:soldout:" + ticketTypeId)))
        .toInteger()).as("sold-out flag").isEqualTo(1);

    HttpResponse<Buffer> retried = await(api.purchase(ticketTypeId, token, key, 2));
    HttpResponse<Buffer> reused = await(api.purchase(ticketTypeId, token, key, 1));
    HttpResponse<Buffer> fresh = await(api.purchase(ticketTypeId, token, TestApi.newKey(), 1));

    assertThat(retried.statusCode()).isEqualTo(201);
    assertThat(retried.bodyAsJsonObject()).isEqualTo(original);
    assertThat(reused.statusCode()).isEqualTo(422);
    assertThat(fresh.statusCode()).isEqualTo(409);
    assertThat(fresh.bodyAsJsonObject().getString("code")).isEqualTo("sold_out");
  }

  @Test
  @DisplayName("one Idempotency-Key sent at once for two ticket types buys one of them; the other answers 422")
  void keyRacedAcrossTicketTypes() {
    String eventId = api.publishedEvent("Key race");
    String token = api.buyerToken("racer@example.org");
    for (int round = 0; round < 5; round++) {
      String key = TestApi.newKey();
      Future<HttpResponse<Buffer>> first = api.purchase(api.ticketTypeOnSale(eventId, 5, 1), token, key, 1);
      Future<HttpResponse<Buffer>> second = api.purchase(api.ticketTypeOnSale(eventId, 5, 1), token, key, 1);
      await(Future.join(first, second));

      assertThat(List.of(first.result().statusCode(), second.result().statusCode()))
          .as(first.result().bodyAsString() + " / " + second.result().bodyAsString())
          .containsExactlyInAnyOrder(201, 422);
    }
  }

  @Test
  @DisplayName("idempotency keys are kept for more than 24 hours, and the periodic sweep forgets older ones")
  void keysKeptADay() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Old keys"), 10, 1);
    String token = api.buyerToken("forgetful@example.org");
    String recent = TestApi.newKey();
    String old = TestApi.newKey();
    placed(await(api.purchase(ticketTypeId, token, recent, 1)));
    placed(await(api.purchase(ticketTypeId, token, old, 1)));
    sql("UPDATE idempotency_keys SET created_at = now() - interval '24 hours 50 minutes' WHERE key = '" + recent + "'");
    sql("UPDATE idempotency_keys SET created_at = now() - interval '26 hours' WHERE key = '" + old + "'");

    await(new PurchaseBatch(api.app().pool()).forgetOldKeys());

    assertThat(count("SELECT count(*) FROM idempotency_keys WHERE key = '" + recent + "'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM idempotency_keys WHERE key = '" + old + "'")).isZero();
    assertThat(count("SELECT count(*) FROM orders WHERE buyer_email = 'forgetful@example.org'")).isEqualTo(2);
  }

  @Test
  @DisplayName("a buyer over the purchase rate limit gets 429 with Retry-After")
  void rateLimit() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Limits"), 1000, 1);
    String token = api.buyerToken("hasty@example.org");
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i <= PurchaseGate.DEFAULT_LIMIT.purchases(); i++) {
      sent.add(api.purchase(ticketTypeId, token, TestApi.newKey(), 1));
    }
    await(Future.join(sent));

    List<HttpResponse<Buffer>> limited = sent.stream().map(Future::result)
        .filter(response -> response.statusCode() == 429).toList();
    assertThat(limited).hasSize(1);
    assertThat(Integer.parseInt(limited.get(0).getHeader("Retry-After"))).isBetween(1, 60);
    assertThat(limited.get(0).bodyAsJsonObject().getString("code")).isEqualTo("too_many_requests");
    assertThat(sent.stream().filter(response -> response.result().statusCode() == 201)).hasSize(60);
  }

  @Test
  @DisplayName("a batch that fails in PostgreSQL answers 503, writes nothing, and the same key succeeds on retry")
  void failedBatchWritesNothing() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Failing"), 10, 5);
    String token = api.buyerToken("unlucky@example.org");
    String key = TestApi.newKey();
    sql("CREATE FUNCTION refuse_tickets() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        + " RAISE EXCEPTION 'disk full, say'; END $$");
    sql("CREATE TRIGGER refuse_tickets BEFORE INSERT ON tickets FOR EACH ROW"
        + " WHEN (NEW.ticket_type_id = '" + ticketTypeId + "') EXECUTE FUNCTION refuse_tickets()");
    HttpResponse<Buffer> failed;
    try {
      failed = await(api.purchase(ticketTypeId, token, key, 2));
    } finally {
      sql("DROP TRIGGER refuse_tickets ON tickets");
      sql("DROP FUNCTION refuse_tickets()");
    }

    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(failed.bodyAsJsonObject().getString("code")).isEqualTo("unavailable");
    assertThat(count("SELECT count(*) FROM orders WHERE buyer_email = 'unlucky@example.org'")).isZero();
    assertThat(count("SELECT count(*) FROM idempotency_keys WHERE buyer_email = 'unlucky@example.org'")).isZero();
    assertThat(count("SELECT sold FROM ticket_types WHERE id = '" + ticketTypeId + "'")).isZero();
    HttpResponse<Buffer> retried = await(api.purchase(ticketTypeId, token, key, 2));
    assertThat(retried.statusCode()).isEqualTo(201);
    assertThat(count("SELECT sold FROM ticket_types WHERE id = '" + ticketTypeId + "'")).isEqualTo(2);
  }

  @Test
  @DisplayName("with Redis down, purchases and reads still work from PostgreSQL")
  void redisDown() throws Exception {
    String eventId = api.publishedEvent("No Redis");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 5, 5);
    TestServers.redis().stop();
    try {
      HttpResponse<Buffer> purchase = await(api.purchase(ticketTypeId, api.buyerToken("calm@example.org"),
          TestApi.newKey(), 2));
      HttpResponse<Buffer> detail = api.send(HttpMethod.GET, "/api/events/" + eventId, null, null);

      assertThat(purchase.statusCode()).as(purchase.bodyAsString()).isEqualTo(201);
      assertThat(detail.statusCode()).isEqualTo(200);
      assertThat(detail.bodyAsJsonObject().getJsonArray("ticketTypes").getJsonObject(0).getInteger("remaining"))
          .isEqualTo(3);
    } finally {
      TestServers.redis().start();
    }
  }

  private static JsonObject placed(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static void sql(String statement) {
    await(api.app().pool().query(statement).execute());
  }

  private static long count(String sql) {
    return await(api.app().pool().query(sql).execute()).iterator().next().getLong(0);
  }

  private static List<String> orderPlacedTicketIds(String orderId) {
    String payload = await(api.app().pool().preparedQuery("SELECT payload::text FROM outbox WHERE type = 'OrderPlaced'"
        + " AND aggregate_id = $1").execute(Tuple.of(UUID.fromString(orderId)))).iterator().next().getString(0);
    return new JsonObject(payload).getJsonArray("ticketIds").stream().map(Object::toString).toList();
  }

  private static long outboxCount(String type, String aggregateId) {
    return await(api.app().pool().preparedQuery("SELECT count(*) FROM outbox WHERE type = $1 AND aggregate_id = $2")
        .execute(Tuple.of(type, UUID.fromString(aggregateId)))).iterator().next().getLong(0);
  }
}
