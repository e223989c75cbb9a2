package dev.boxoffice.backend.attendees;

import static dev.boxoffice.backend.web.TestApi.ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.web.TestApi;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The organizer's attendee list, its CSV export and the live check-in counts, on real PostgreSQL. */
class AttendeesApiTest {

  private static TestApi api;
  private static String organizer;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
    organizer = api.organizerToken(ORGANIZER);
  }

  @Test
  @DisplayName("the list searches by email part or ticket id, filters by type and status, and pages by cursor")
  void listSearchFilterPage() {
    String eventId = api.publishedEvent("Attendee list");
    String standing = api.ticketTypeOnSale(eventId, 50, 10);
    String seated = api.ticketTypeOnSale(eventId, 50, 10);
    JsonObject alice = buy(standing, "Alice.Martin@example.org", 3);
    buy(seated, "bob@example.org", 2);
    String aliceTicket = alice.getJsonArray("tickets").getJsonObject(0).getString("id");

    List<JsonObject> all = allPages(eventId, "", 2);
    JsonObject byEmail = list(eventId, "?q=MARTIN@");
    JsonObject byTicketId = list(eventId, "?q=" + aliceTicket.substring(0, 28).toUpperCase());
    JsonObject byType = list(eventId, "?ticketTypeId=" + seated);
    JsonObject valid = list(eventId, "?status=valid");
    JsonObject checkedIn = list(eventId, "?status=checked_in");

    assertThat(all).hasSize(5);
    assertThat(all.stream().map(item -> item.getString("ticketId")).distinct()).hasSize(5);
    JsonObject first = all.get(0);
    assertThat(first.getString("buyerEmail")).isEqualTo("alice.martin@example.org");
    assertThat(first.getString("status")).isEqualTo("valid");
    assertThat(first.getString("currency")).isEqualTo("EUR");
    assertThat(first.containsKey("checkedInAt")).isFalse();
    assertThat(byEmail.getJsonArray("items")).hasSize(3);
    assertThat(byTicketId.getJsonArray("items")).hasSize(1);
    assertThat(byTicketId.getJsonArray("items").getJsonObject(0).getString("ticketId")).isEqualTo(aliceTicket);
    assertThat(byType.getJsonArray("items")).hasSize(2)
        .allSatisfy(item -> assertThat(((JsonObject) item).getString("buyerEmail")).isEqualTo("bob@example.org"));
    assertThat(valid.getJsonArray("items")).hasSize(5);
    assertThat(checkedIn.getJsonArray("items")).isEmpty();
    HttpResponse<Buffer> underscore = await(api.request(HttpMethod.GET, "/api/events/" + eventId + "/attendees",
        organizer).addQueryParam("q", "_").send());
    assertThat(underscore.statusCode()).as(underscore.bodyAsString()).isEqualTo(200);
    assertThat(underscore.bodyAsJsonObject().getJsonArray("items")).as("_ is a character, not LIKE's wildcard").isEmpty();
  }

  @Test
  @DisplayName("another organizer's event is a 404, a buyer gets 403, and a bad filter a 400 naming it")
  void onlyTheEventsOrganizer() {
    String eventId = api.publishedEvent("Private list");

    HttpResponse<Buffer> rival = api.send(HttpMethod.GET, "/api/events/" + eventId + "/attendees",
        api.organizerToken(TestApi.OTHER_ORGANIZER), null);
    HttpResponse<Buffer> rivalCsv = api.send(HttpMethod.GET, "/api/events/" + eventId + "/attendees.csv",
        api.organizerToken(TestApi.OTHER_ORGANIZER), null);
    HttpResponse<Buffer> buyer = api.send(HttpMethod.GET, "/api/events/" + eventId + "/attendees",
        api.buyerToken("nosy@example.org"), null);
    HttpResponse<Buffer> anonymous = api.send(HttpMethod.GET, "/api/events/" + eventId + "/checkins/live", null, null);
    HttpResponse<Buffer> badStatus = api.send(HttpMethod.GET, "/api/events/" + eventId + "/attendees?status=inside",
        organizer, null);

    assertThat(rival.statusCode()).isEqualTo(404);
    assertThat(rival.bodyAsJsonObject().getString("code")).isEqualTo("not_found");
    assertThat(rivalCsv.statusCode()).isEqualTo(404);
    assertThat(buyer.statusCode()).isEqualTo(403);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(badStatus.statusCode()).isEqualTo(400);
    assertThat(badStatus.bodyAsJsonObject().getString("field")).contains("status");
  }

  @Test
  @DisplayName("the CSV export streams every ticket across pages: BOM, RFC 4180 quoting, formulas neutralised")
  void csvExport() {
    String eventId = api.publishedEvent("Export");
    HttpResponse<Buffer> type = api.send(HttpMethod.POST, "/api/events/" + eventId + "/ticket-types", organizer,
        new JsonObject().put("name", "=HYPERLINK(\"http://evil\",\"Click\")").put("priceMinor", 0)
            .put("currency", "EUR").put("capacity", AttendeeService.EXPORT_PAGE_SIZE + 50).put("maxPerOrder", 50)
            .put("salesStart", Instant.now().minusSeconds(3600).toString())
            .put("salesEnd", Instant.now().plusSeconds(86_400).toString()));
    assertThat(type.statusCode()).as(type.bodyAsString()).isEqualTo(201);
    String typeId = type.bodyAsJsonObject().getString("id");
    int tickets = 0;
    for (int buyer = 0; tickets < AttendeeService.EXPORT_PAGE_SIZE + 20; buyer++) {
      buy(typeId, "-buyer" + buyer + "@example.org", 50);
      tickets += 50;
    }

    HttpResponse<Buffer> csv = api.send(HttpMethod.GET, "/api/events/" + eventId + "/attendees.csv", organizer, null);

    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.getHeader("content-type")).isEqualTo("text/csv; charset=utf-8");
    assertThat(csv.getHeader("content-disposition")).isEqualTo("attachment; filename=\"attendees-" + eventId
        + ".csv\"");
    byte[] bytes = csv.body().getBytes();
    assertThat(new byte[] {bytes[0], bytes[1], bytes[2]}).containsExactly(0xEF, 0xBB, 0xBF);
    String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
    String[] lines = text.split("\r\n", -1);
    assertThat(lines[0]).isEqualTo(
        "ticket_id,order_id,buyer_email,ticket_type,price,currency,status,purchased_at,checked_in_at");
    assertThat(lines).hasSize(tickets + 2);
    assertThat(lines[lines.length - 1]).isEmpty();
    assertThat(lines[1]).contains(",'-buyer0@example.org,\"'=HYPERLINK(\"\"http://evil\"\",\"\"Click\"\")\",0.00,EUR,"
        + "valid,");
    assertThat(text.lines().skip(1).map(line -> line.substring(0, 36)).distinct()).hasSize(tickets);
  }

  @Test
  @DisplayName("a live stream on one backend sees a check-in made on another, within the poll interval")
  void liveCountsAcrossBackends() throws Exception {
    String eventId = api.publishedEvent("Live counts");
    String typeId = api.ticketTypeOnSale(eventId, 10, 10);
    String ticketId = buy(typeId, "live@example.org", 2).getJsonArray("tickets").getJsonObject(0).getString("id");
    Vertx vertx = Vertx.vertx();
    TestApi other = TestApi.start(api.app().config().toBuilder().http("127.0.0.1", LoopbackPorts.free()).build());
    try {
      HttpClient client = vertx.createHttpClient();
      StringBuffer received = new StringBuffer();
      HttpClientResponse stream = await(client.request(new RequestOptions().setMethod(HttpMethod.GET)
              .setHost("127.0.0.1").setPort(api.app().config().httpPort())
              .setURI("/api/events/" + eventId + "/checkins/live").putHeader("Authorization", "Bearer " + organizer))
          .compose(request -> request.send()));
      stream.handler(chunk -> received.append(chunk.toString(StandardCharsets.UTF_8)));
      assertThat(stream.statusCode()).isEqualTo(200);
      assertThat(stream.getHeader("content-type")).startsWith("text/event-stream");
      waitFor(received, "data: {\"issued\":2,\"checkedIn\":0}");

      String token = TicketTokens.sign(new TicketClaims(UUID.fromString(ticketId), UUID.fromString(eventId),
              UUID.fromString(typeId), Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600)),
          TestApi.TICKET_KEYS.getPrivate());
      HttpResponse<Buffer> checkedIn = await(other.request(HttpMethod.POST, "/api/checkin", organizer)
          .sendJsonObject(new JsonObject().put("token", token)));
      assertThat(checkedIn.statusCode()).as(checkedIn.bodyAsString()).isEqualTo(200);

      waitFor(received, "event: counts\ndata: {\"issued\":2,\"checkedIn\":1}\n\n");
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
      other.close();
    }
  }

  private static void waitFor(StringBuffer received, String expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!received.toString().contains(expected) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(received.toString()).contains(expected);
  }

  private static JsonObject buy(String typeId, String buyer, int quantity) {
    HttpResponse<Buffer> placed = await(api.purchase(typeId, api.buyerToken(buyer), TestApi.newKey(), quantity));
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    return placed.bodyAsJsonObject();
  }

  private static JsonObject list(String eventId, String query) {
    HttpResponse<Buffer> response = api.send(HttpMethod.GET, "/api/events/" + eventId + "/attendees" + query,
        organizer, null);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<JsonObject> allPages(String eventId, String query, int limit) {
    List<JsonObject> items = new ArrayList<>();
    String cursor = null;
    do {
      HttpRequest<Buffer> request = api.request(HttpMethod.GET, "/api/events/" + eventId + "/attendees" + query,
          organizer).addQueryParam("limit", String.valueOf(limit));
      if (cursor != null) {
        request.addQueryParam("cursor", cursor);
      }
      JsonObject page = await(request.send()).bodyAsJsonObject();
      JsonArray pageItems = page.getJsonArray("items");
      assertThat(pageItems.size()).isLessThanOrEqualTo(limit);
      pageItems.forEach(item -> items.add((JsonObject) item));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    return items;
  }
}
