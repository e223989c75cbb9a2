package dev.boxoffice.backend.web;

import static dev.boxoffice.backend.web.TestApi.ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.OTHER_ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every class of bad input gets a deliberate 4xx JSON error and writes nothing. */
class BadInputTest {

  private static TestApi api;
  private static String organizerToken;
  private static String eventId;
  private static String ticketTypeId;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
    organizerToken = api.organizerToken(ORGANIZER);
    eventId = api.publishedEvent("Bad input");
    ticketTypeId = api.ticketTypeOnSale(eventId, 100, 4);
  }

  @Test
  @DisplayName("malformed JSON answers 400 invalid_request")
  void malformedJson() {
    HttpResponse<Buffer> response = api.send(HttpMethod.POST, "/api/events", organizerToken, "{\"title\": ");

    assertError(response, 400, "invalid_request");
  }

  @Test
  @DisplayName("a body that is not JSON answers 415")
  void notJson() {
    HttpResponse<Buffer> response = await(api.request(HttpMethod.POST, "/api/events", organizerToken)
        .putHeader("Content-Type", "text/plain").sendBuffer(Buffer.buffer("a concert, tomorrow")));

    assertError(response, 415, "unsupported_media_type");
  }

  @Test
  @DisplayName("a field of the wrong type answers 400 naming the field and the expected type")
  void wrongType() {
    HttpResponse<Buffer> response = purchase(ticketTypeId, new JsonObject().put("quantity", "two"));

    assertError(response, 400, "invalid_request");
    assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo("quantity");
    assertThat(response.bodyAsJsonObject().getString("message")).contains("integer");
  }

  @Test
  @DisplayName("a missing required field answers 400 naming the field, and creates nothing")
  void missingField() {
    JsonObject event = TestApi.newEvent("Missing city");
    event.remove("city");

    HttpResponse<Buffer> response = api.send(HttpMethod.POST, "/api/events", organizerToken, event);

    assertError(response, 400, "invalid_request");
    assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo("city");
    assertThat(count("SELECT count(*) FROM events WHERE title = 'Missing city'")).isZero();
  }

  @Test
  @DisplayName("an unknown field answers 400 naming the field")
  void unknownField() {
    HttpResponse<Buffer> response = purchase(ticketTypeId, new JsonObject().put("quantity", 1).put("priceMinor", 0));

    assertError(response, 400, "invalid_request");
    assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo("priceMinor");
  }

  @Test
  @DisplayName("a body over 64 KiB answers 413")
  void bodyTooLarge() {
    JsonObject event = TestApi.newEvent("Huge").put("description", "x".repeat(70 * 1024));

    HttpResponse<Buffer> response = api.send(HttpMethod.POST, "/api/events", organizerToken, event);

    assertError(response, 413, "payload_too_large");
  }

  @Test
  @DisplayName("zero, negative and too large quantities answer 400 on quantity and sell nothing")
  void badQuantities() {
    String untouched = api.ticketTypeOnSale(eventId, 100, 4);
    for (int quantity : new int[] {0, -3, 51, Integer.MAX_VALUE}) {
      HttpResponse<Buffer> response = purchase(untouched, new JsonObject().put("quantity", quantity));

      assertError(response, 400, "invalid_request");
      assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo("quantity");
    }
    assertThat(sold(untouched)).isZero();
  }

  @Test
  @DisplayName("a quantity over the ticket type's max per order answers 400 quantity_above_max")
  void overMaxPerOrder() {
    String untouched = api.ticketTypeOnSale(eventId, 100, 4);
    HttpResponse<Buffer> response = purchase(untouched, new JsonObject().put("quantity", 5));

    assertError(response, 400, "quantity_above_max");
    assertThat(response.bodyAsJsonObject().getString("field")).isEqualTo("quantity");
    assertThat(sold(untouched)).isZero();
  }

  @Test
  @DisplayName("outside the sales window or after sales are closed, a purchase answers 409 sales_closed")
  void salesClosed() {
    JsonObject later = new JsonObject().put("name", "Later").put("priceMinor", 0).put("currency", "EUR")
        .put("capacity", 10).put("salesStart", Instant.now().plus(Duration.ofDays(1)).toString())
        .put("salesEnd", "2030-01-01T00:00:00Z").put("maxPerOrder", 2);
    String notYet = api.send(HttpMethod.POST, "/api/events/" + eventId + "/ticket-types", organizerToken, later)
        .bodyAsJsonObject().getString("id");
    String closing = api.ticketTypeOnSale(eventId, 10, 2);
    assertThat(api.send(HttpMethod.PATCH, "/api/ticket-types/" + closing, organizerToken,
        new JsonObject().put("salesClosed", true)).statusCode()).isEqualTo(200);

    for (String id : new String[] {notYet, closing}) {
      HttpResponse<Buffer> response = await(api.purchase(id, api.buyerToken("early@example.org"), TestApi.newKey(), 1));
      assertError(response, 409, "sales_closed");
      assertThat(sold(id)).isZero();
    }
  }

  @Test
  @DisplayName("unknown ids answer 404")
  void unknownIds() {
    String unknown = UUID.randomUUID().toString();

    assertError(api.send(HttpMethod.GET, "/api/events/" + unknown, null, null), 404, "not_found");
    assertError(await(api.purchase(unknown, api.buyerToken("lost@example.org"), TestApi.newKey(), 1)), 404,
        "not_found");
    assertError(api.send(HttpMethod.GET, "/api/orders/" + unknown, api.buyerToken("lost@example.org"), null), 404,
        "not_found");
    assertError(api.send(HttpMethod.POST, "/api/events/" + unknown + "/publish", organizerToken, null), 404,
        "not_found");
    assertError(api.send(HttpMethod.GET, "/api/no-such-thing", null, null), 404, "not_found");
  }

  @Test
  @DisplayName("malformed UUIDs answer 400 naming the path parameter")
  void malformedUuids() {
    HttpResponse<Buffer> event = api.send(HttpMethod.GET, "/api/events/not-a-uuid", null, null);
    HttpResponse<Buffer> order = api.send(HttpMethod.GET, "/api/orders/1234", api.buyerToken("a@example.org"), null);

    assertError(event, 400, "invalid_request");
    assertThat(event.bodyAsJsonObject().getString("field")).isEqualTo("eventId");
    assertError(order, 400, "invalid_request");
    assertThat(order.bodyAsJsonObject().getString("field")).isEqualTo("orderId");
  }

  @Test
  @DisplayName("another organizer's event answers 404 to every write, and changes nothing")
  void crossTenantOrganizer() {
    String rival = api.organizerToken(OTHER_ORGANIZER);

    assertError(api.send(HttpMethod.PATCH, "/api/events/" + eventId, rival, new JsonObject().put("title", "Mine")),
        404, "not_found");
    assertError(api.send(HttpMethod.POST, "/api/events/" + eventId + "/cancel", rival, null), 404, "not_found");
    assertError(api.send(HttpMethod.GET, "/api/events/" + eventId + "/summary", rival, null), 404, "not_found");
    assertError(api.send(HttpMethod.PATCH, "/api/ticket-types/" + ticketTypeId, rival,
        new JsonObject().put("capacity", 1)), 404, "not_found");
    JsonObject event = api.send(HttpMethod.GET, "/api/events/" + eventId, null, null).bodyAsJsonObject();
    assertThat(event.getString("title")).isEqualTo("Bad input");
    assertThat(event.getString("status")).isEqualTo("published");
  }

  @Test
  @DisplayName("a buyer reading another buyer's order gets 404, and a buyer cannot act as an organizer")
  void crossTenantBuyer() {
    HttpResponse<Buffer> placed = await(api.purchase(ticketTypeId, api.buyerToken("alice@example.org"),
        TestApi.newKey(), 1));
    String orderId = placed.bodyAsJsonObject().getString("id");

    assertError(api.send(HttpMethod.GET, "/api/orders/" + orderId, api.buyerToken("mallory@example.org"), null), 404,
        "not_found");
    assertError(api.send(HttpMethod.POST, "/api/orders/" + orderId + "/cancel", api.buyerToken("alice@example.org"),
        null), 403, "forbidden");
    assertError(api.send(HttpMethod.POST, "/api/events", api.buyerToken("alice@example.org"),
        TestApi.newEvent("Not an organizer")), 403, "forbidden");
  }

  @Test
  @DisplayName("no or a forged session token answers 401")
  void unauthenticated() {
    assertError(api.send(HttpMethod.GET, "/api/me/orders", null, null), 401, "unauthorized");
    assertError(api.send(HttpMethod.GET, "/api/me/orders", organizerToken + "x", null), 401, "unauthorized");
  }

  @Test
  @DisplayName("a purchase without an Idempotency-Key, or with an unprintable one, answers 400 on the header")
  void idempotencyKeyRequired() {
    HttpResponse<Buffer> missing = await(api.request(HttpMethod.POST, "/api/ticket-types/" + ticketTypeId
        + "/purchases", api.buyerToken("nokey@example.org")).sendJsonObject(new JsonObject().put("quantity", 1)));
    HttpResponse<Buffer> tooLong = await(api.purchase(ticketTypeId, api.buyerToken("nokey@example.org"),
        "k".repeat(101), 1));

    assertError(missing, 400, "invalid_request");
    assertThat(missing.bodyAsJsonObject().getString("field")).isEqualTo("Idempotency-Key");
    assertError(tooLong, 400, "invalid_request");
    assertThat(tooLong.bodyAsJsonObject().getString("field")).isEqualTo("Idempotency-Key");
    assertThat(count("SELECT count(*) FROM orders WHERE buyer_email = 'nokey@example.org'")).isZero();
  }

  @Test
  @DisplayName("instants, time zones and time ranges that do not make sense answer 400 naming the field")
  void badTimes() {
    HttpResponse<Buffer> zone = api.send(HttpMethod.POST, "/api/events", organizerToken,
        TestApi.newEvent("Bad zone").put("timeZone", "Mars/Olympus_Mons"));
    HttpResponse<Buffer> instant = api.send(HttpMethod.POST, "/api/events", organizerToken,
        TestApi.newEvent("Bad instant").put("startsAt", "next tuesday at eight"));
    HttpResponse<Buffer> backwards = api.send(HttpMethod.POST, "/api/events", organizerToken,
        TestApi.newEvent("Backwards").put("endsAt", "2030-06-01T17:00:00Z"));
    HttpResponse<Buffer> backwardsUpdate = api.send(HttpMethod.PATCH, "/api/events/" + eventId, organizerToken,
        new JsonObject().put("endsAt", "2001-01-01T00:00:00Z"));

    assertError(zone, 400, "invalid_request");
    assertThat(zone.bodyAsJsonObject().getString("field")).isEqualTo("timeZone");
    assertError(instant, 400, "invalid_request");
    assertThat(instant.bodyAsJsonObject().getString("field")).isEqualTo("startsAt");
    assertError(backwards, 400, "invalid_request");
    assertThat(backwards.bodyAsJsonObject().getString("field")).isEqualTo("endsAt");
    assertError(backwardsUpdate, 400, "invalid_request");
    assertThat(backwardsUpdate.bodyAsJsonObject().getString("field")).isEqualTo("endsAt");
    assertThat(count("SELECT count(*) FROM events WHERE title IN ('Bad zone', 'Bad instant', 'Backwards')")).isZero();
  }

  @Test
  @DisplayName("SQL injection strings in every text field are stored verbatim and harmless")
  void sqlInjection() {
    String injection = "x'); DROP TABLE events; --";
    JsonObject hostile = new JsonObject().put("title", injection).put("description", injection)
        .put("category", injection).put("venue", injection).put("city", injection)
        .put("startsAt", "2030-07-01T18:00:00Z").put("endsAt", "2030-07-01T20:00:00Z").put("timeZone", "UTC")
        .put("imageKey", injection);

    HttpResponse<Buffer> created = api.send(HttpMethod.POST, "/api/events", organizerToken, hostile);
    String id = created.bodyAsJsonObject().getString("id");
    api.send(HttpMethod.POST, "/api/events/" + id + "/publish", organizerToken, null);
    HttpResponse<Buffer> read = api.send(HttpMethod.GET, "/api/events/" + id, null, null);
    HttpResponse<Buffer> searched = await(api.request(HttpMethod.GET, "/api/events", null)
        .addQueryParam("q", "'); DROP TABLE events; --").addQueryParam("city", injection).send());

    assertThat(created.statusCode()).isEqualTo(201);
    for (String field : new String[] {"title", "description", "category", "venue", "city", "imageKey"}) {
      assertThat(read.bodyAsJsonObject().getString(field)).isEqualTo(injection);
    }
    assertThat(searched.statusCode()).isEqualTo(200);
    assertThat(searched.bodyAsJsonObject().getJsonArray("items")).hasSize(1);
    assertThat(count("SELECT count(*) FROM events")).isPositive();
  }

  private static HttpResponse<Buffer> purchase(String ticketTypeId, JsonObject body) {
    return await(api.request(HttpMethod.POST, "/api/ticket-types/" + ticketTypeId + "/purchases",
            api.buyerToken("bad@example.org"))
        .putHeader("Idempotency-Key", TestApi.newKey())
        .sendJsonObject(body));
  }

  private static void assertError(HttpResponse<Buffer> response, int status, String code) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("code")).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
  }

  private static int sold(String ticketTypeId) {
    return await(api.app().pool().preparedQuery("SELECT sold FROM ticket_types WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(ticketTypeId)))).iterator().next().getInteger("sold");
  }

  private static long count(String sql) {
    return await(api.app().pool().query(sql).execute()).iterator().next().getLong(0);
  }
}
