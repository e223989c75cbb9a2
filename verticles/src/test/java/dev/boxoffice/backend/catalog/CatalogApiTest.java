package dev.boxoffice.backend.catalog;

import static dev.boxoffice.backend.web.TestApi.ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CatalogApiTest {

  private static TestApi api;
  private static String organizer;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
    organizer = api.organizerToken(ORGANIZER);
  }

  @Test
  @DisplayName("a draft is visible to its organizer only until published, and publishing writes EventPublished")
  void draftThenPublished() {
    String city = "Draftville-" + UUID.randomUUID();
    String eventId = create(TestApi.newEvent("Draft").put("city", city));

    assertThat(api.send(HttpMethod.GET, "/api/events/" + eventId, null, null).statusCode()).isEqualTo(404);
    assertThat(list(api.request(HttpMethod.GET, "/api/events", null).addQueryParam("city", city))).isEmpty();
    assertThat(list(api.request(HttpMethod.GET, "/api/me/events", organizer).addQueryParam("limit", "100")))
        .anySatisfy(mine -> assertThat(((JsonObject) mine).getString("id")).isEqualTo(eventId));
    assertThat(list(api.request(HttpMethod.GET, "/api/me/events", api.organizerToken(TestApi.OTHER_ORGANIZER))
        .addQueryParam("limit", "100")))
        .noneSatisfy(theirs -> assertThat(((JsonObject) theirs).getString("id")).isEqualTo(eventId));

    HttpResponse<Buffer> published = api.send(HttpMethod.POST, "/api/events/" + eventId + "/publish", organizer, null);

    assertThat(published.bodyAsJsonObject().getString("status")).isEqualTo("published");
    assertThat(api.send(HttpMethod.GET, "/api/events/" + eventId, null, null).statusCode()).isEqualTo(200);
    assertThat(list(api.request(HttpMethod.GET, "/api/events", null).addQueryParam("city", city))).hasSize(1);
    assertThat(outboxCount("EventPublished", eventId)).isEqualTo(1);
  }

  @Test
  @DisplayName("a change is visible on the very next read of the cached detail and list")
  void cacheInvalidatedOnWrite() {
    String city = "Cacheton-" + UUID.randomUUID();
    String eventId = create(TestApi.newEvent("Before").put("city", city));
    api.send(HttpMethod.POST, "/api/events/" + eventId + "/publish", organizer, null);
    assertThat(detail(eventId).getString("title")).isEqualTo("Before");
    assertThat(list(api.request(HttpMethod.GET, "/api/events", null).addQueryParam("city", city))
        .getJsonObject(0).getString("title")).isEqualTo("Before");

    HttpResponse<Buffer> updated = api.send(HttpMethod.PATCH, "/api/events/" + eventId, organizer,
        new JsonObject().put("title", "After"));

    assertThat(updated.statusCode()).isEqualTo(200);
    assertThat(detail(eventId).getString("title")).isEqualTo("After");
    assertThat(list(api.request(HttpMethod.GET, "/api/events", null).addQueryParam("city", city))
        .getJsonObject(0).getString("title")).isEqualTo("After");

    String ticketTypeId = api.ticketTypeOnSale(eventId, 5, 5);
    assertThat(detail(eventId).getJsonArray("ticketTypes")).hasSize(1);
    await(api.purchase(ticketTypeId, api.buyerToken("cache@example.org"), TestApi.newKey(), 2));
    assertThat(detail(eventId).getJsonArray("ticketTypes").getJsonObject(0).getInteger("remaining")).isEqualTo(3);
  }

  @Test
  @DisplayName("the list pages by start time with an opaque cursor and filters by dates, category, city and title")
  void listPagesAndFilters() {
    String city = "Pageville-" + UUID.randomUUID();
    List<String> ids = new ArrayList<>();
    for (int day = 1; day <= 5; day++) {
      String eventId = create(TestApi.newEvent((day % 2 == 0 ? "Jazz night " : "Rock show ") + day)
          .put("city", city).put("category", day == 5 ? "theatre" : "concert")
          .put("startsAt", "2031-03-0" + day + "T20:00:00Z").put("endsAt", "2031-03-0" + day + "T23:00:00Z"));
      api.send(HttpMethod.POST, "/api/events/" + eventId + "/publish", organizer, null);
      ids.add(eventId);
    }

    List<String> paged = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpRequest<Buffer> request = api.request(HttpMethod.GET, "/api/events", null).addQueryParam("city", city)
          .addQueryParam("limit", "2");
      if (cursor != null) {
        request.addQueryParam("cursor", cursor);
      }
      JsonObject page = await(request.send()).bodyAsJsonObject();
      page.getJsonArray("items").forEach(item -> paged.add(((JsonObject) item).getString("id")));
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null);

    assertThat(paged).containsExactlyElementsOf(ids);
    assertThat(pages).isEqualTo(3);
    assertThat(list(api.request(HttpMethod.GET, "/api/events", null).addQueryParam("city", city.toUpperCase())
        .addQueryParam("q", "JAZZ"))).hasSize(2);
    assertThat(list(api.request(HttpMethod.GET, "/api/events", null).addQueryParam("city", city)
        .addQueryParam("category", "theatre"))).hasSize(1);
    assertThat(list(api.request(HttpMethod.GET, "/api/events", null).addQueryParam("city", city)
        .addQueryParam("from", "2031-03-02T00:00:00Z").addQueryParam("to", "2031-03-04T00:00:00Z"))).hasSize(2);
    assertThat(await(api.request(HttpMethod.GET, "/api/events", null).addQueryParam("cursor", "forged").send())
        .statusCode()).isEqualTo(400);
  }

  @Test
  @DisplayName("a cancelled event leaves the list, stops its sales, cancels its orders and writes the events")
  void cancel() {
    String eventId = api.publishedEvent("To cancel");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 10, 2);
    String orderId = await(api.purchase(ticketTypeId, api.buyerToken("early.bird@example.org"), TestApi.newKey(), 2))
        .bodyAsJsonObject().getString("id");

    HttpResponse<Buffer> cancelled = api.send(HttpMethod.POST, "/api/events/" + eventId + "/cancel", organizer, null);

    assertThat(cancelled.bodyAsJsonObject().getString("status")).isEqualTo("cancelled");
    assertThat(detail(eventId).getString("status")).isEqualTo("cancelled");
    HttpResponse<Buffer> purchase = await(api.purchase(ticketTypeId, api.buyerToken("late@example.org"),
        TestApi.newKey(), 1));
    assertThat(purchase.statusCode()).isEqualTo(409);
    assertThat(purchase.bodyAsJsonObject().getString("code")).isEqualTo("sales_closed");
    assertThat(api.send(HttpMethod.POST, "/api/events/" + eventId + "/publish", organizer, null).statusCode())
        .isEqualTo(409);
    assertThat(outboxCount("EventCancelled", eventId)).isEqualTo(1);
    assertThat(outboxCount("OrderCancelled", orderId)).isEqualTo(1);
    JsonObject order = api.send(HttpMethod.GET, "/api/orders/" + orderId, organizer, null).bodyAsJsonObject();
    assertThat(order.getString("status")).isEqualTo("cancelled");
    order.getJsonArray("tickets").forEach(ticket ->
        assertThat(((JsonObject) ticket).getString("status")).isEqualTo("cancelled"));
    assertThat(detail(eventId).getJsonArray("ticketTypes").getJsonObject(0).getInteger("sold")).isZero();
  }

  @Test
  @DisplayName("raising the capacity of a sold-out type sells again; capacity below what is sold is refused")
  void capacity() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Capacity"), 1, 1);
    assertThat(await(api.purchase(ticketTypeId, api.buyerToken("c1@example.org"), TestApi.newKey(), 1)).statusCode())
        .isEqualTo(201);
    assertThat(await(api.purchase(ticketTypeId, api.buyerToken("c2@example.org"), TestApi.newKey(), 1)).statusCode())
        .isEqualTo(409);

    HttpResponse<Buffer> below = api.send(HttpMethod.PATCH, "/api/ticket-types/" + ticketTypeId, organizer,
        new JsonObject().put("capacity", 0));
    HttpResponse<Buffer> raised = api.send(HttpMethod.PATCH, "/api/ticket-types/" + ticketTypeId, organizer,
        new JsonObject().put("capacity", 2));

    assertThat(below.statusCode()).isEqualTo(409);
    assertThat(below.bodyAsJsonObject().getString("code")).isEqualTo("capacity_below_sold");
    assertThat(raised.bodyAsJsonObject().getInteger("remaining")).isEqualTo(1);
    assertThat(await(api.purchase(ticketTypeId, api.buyerToken("c2@example.org"), TestApi.newKey(), 1)).statusCode())
        .isEqualTo(201);
  }

  @Test
  @DisplayName("the organizer's summary gives sold, remaining and revenue per ticket type")
  void summary() {
    String eventId = api.publishedEvent("Summary");
    String standing = api.ticketTypeOnSale(eventId, 10, 5);
    String seated = api.ticketTypeOnSale(eventId, 4, 5, 2500, "EUR");
    await(api.purchase(standing, api.buyerToken("s1@example.org"), TestApi.newKey(), 3));
    assertThat(await(api.hold(seated, api.buyerToken("s2@example.org"), TestApi.newKey(), 4)).statusCode())
        .isEqualTo(201);

    JsonObject summary = api.send(HttpMethod.GET, "/api/events/" + eventId + "/summary", organizer, null)
        .bodyAsJsonObject();

    JsonArray types = summary.getJsonArray("ticketTypes");
    assertThat(types).hasSize(2);
    assertThat(types.getJsonObject(0).getString("ticketTypeId")).isEqualTo(standing);
    assertThat(types.getJsonObject(0).getInteger("sold")).isEqualTo(3);
    assertThat(types.getJsonObject(0).getInteger("remaining")).isEqualTo(7);
    assertThat(types.getJsonObject(0).getLong("revenueMinor")).as("free tickets earn nothing").isZero();
    assertThat(types.getJsonObject(1).getInteger("sold")).isZero();
    assertThat(types.getJsonObject(1).getInteger("held")).isEqualTo(4);
    assertThat(types.getJsonObject(1).getInteger("remaining")).as("held tickets are taken").isZero();
    assertThat(types.getJsonObject(1).getLong("revenueMinor")).as("nothing is paid yet").isZero();
  }

  private static String create(JsonObject event) {
    HttpResponse<Buffer> created = api.send(HttpMethod.POST, "/api/events", organizer, event);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.bodyAsJsonObject().getString("status")).isEqualTo("draft");
    return created.bodyAsJsonObject().getString("id");
  }

  private static JsonObject detail(String eventId) {
    HttpResponse<Buffer> response = api.send(HttpMethod.GET, "/api/events/" + eventId, null, null);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static JsonArray list(HttpRequest<Buffer> request) {
    HttpResponse<Buffer> response = await(request.send());
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("items");
  }

  private static long outboxCount(String type, String aggregateId) {
    return await(api.app().pool().preparedQuery("SELECT count(*) FROM outbox WHERE type = $1 AND aggregate_id = $2")
        .execute(Tuple.of(type, UUID.fromString(aggregateId)))).iterator().next().getLong(0);
  }
}
