package dev.boxoffice.backend.checkin;

import static dev.boxoffice.backend.web.TestApi.DOOR_STAFF;
import static dev.boxoffice.backend.web.TestApi.ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.OTHER_ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.boxoffice.backend.web.TestApi;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CheckInApiTest {

  private static TestApi api;
  private static String organizer;
  private static String eventId;
  private static String ticketTypeId;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
    organizer = api.organizerToken(ORGANIZER);
    eventId = api.publishedEvent("Doors open");
    ticketTypeId = api.ticketTypeOnSale(eventId, 100, 20);
  }

  @Test
  @DisplayName("the organizer checks a ticket in once: 200, then 409 already_checked_in with the first scan's time")
  void checksInExactlyOnce() {
    JsonObject order = buy("first@example.org", 1);
    String token = tokenFor(order, 0);

    HttpResponse<Buffer> first = scan(organizer, token);
    HttpResponse<Buffer> second = scan(organizer, token);

    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    JsonObject admitted = first.bodyAsJsonObject();
    assertThat(admitted.getString("ticketId")).isEqualTo(ticketId(order, 0));
    assertThat(admitted.getString("eventId")).isEqualTo(eventId);
    assertThat(admitted.getString("ticketType")).isEqualTo("Standing");
    assertThat(Instant.parse(admitted.getString("checkedInAt")))
        .isCloseTo(Instant.now(), within(Duration.ofMinutes(1)));
    assertThat(second.statusCode()).isEqualTo(409);
    assertThat(second.bodyAsJsonObject().getString("code")).isEqualTo("already_checked_in");
    assertThat(second.bodyAsJsonObject().getString("checkedInAt")).isEqualTo(admitted.getString("checkedInAt"));
    JsonObject ticket = myTicket("first@example.org", ticketId(order, 0));
    assertThat(ticket.getString("status")).isEqualTo("checked_in");
    assertThat(ticket.getString("checkedInAt")).isEqualTo(admitted.getString("checkedInAt"));
  }

  @Test
  @DisplayName("20 simultaneous scans of one ticket admit exactly one; the other 19 answer already_checked_in")
  void simultaneousScans() {
    String token = tokenFor(buy("rush@example.org", 1), 0);

    List<Future<HttpResponse<Buffer>>> scans = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      scans.add(api.request(HttpMethod.POST, "/api/checkin", organizer)
          .sendJsonObject(new JsonObject().put("token", token)));
    }
    await(Future.join(scans));

    List<Integer> statuses = scans.stream().map(scan -> scan.result().statusCode()).toList();
    assertThat(statuses).filteredOn(status -> status == 200).hasSize(1);
    assertThat(statuses).filteredOn(status -> status == 409).hasSize(19);
    scans.stream().filter(scan -> scan.result().statusCode() == 409).forEach(scan ->
        assertThat(scan.result().bodyAsJsonObject().getString("code")).isEqualTo("already_checked_in"));
  }

  @Test
  @DisplayName("door staff of the organizer check tickets in; a buyer, also one whose token claims the staff role, gets"
      + " 403; another organizer's staff and another organizer are answered exactly as for a ticket that does not"
      + " exist, also for a cancelled one")
  void whoMayCheckIn() {
    JsonObject order = buy("guest@example.org", 2);
    JsonObject cancelled = buy("cancelled@example.org", 1);
    assertThat(api.send(HttpMethod.POST, "/api/orders/" + cancelled.getString("id") + "/cancel", organizer, null)
        .statusCode()).isEqualTo(200);
    TicketClaims claims = claims(order, 0, Instant.now().minusSeconds(3600), Instant.now().plusSeconds(3600));
    String unknown = TicketTokens.sign(new TicketClaims(UUID.randomUUID(), claims.eventId(), claims.ticketTypeId(),
        claims.validFrom(), claims.validUntil()), TestApi.TICKET_KEYS.getPrivate());
    String strangerToken = api.buyerToken(TestApi.RIVAL_DOOR_STAFF);
    String claimsStaff = api.token("other-door@example.org", EnumSet.of(Role.BUYER, Role.STAFF));
    String rivalToken = api.organizerToken(OTHER_ORGANIZER);

    HttpResponse<Buffer> stranger = scan(strangerToken, tokenFor(order, 0));
    HttpResponse<Buffer> rival = scan(rivalToken, tokenFor(order, 0));
    HttpResponse<Buffer> rivalOfCancelled = scan(rivalToken, tokenFor(cancelled, 0));
    HttpResponse<Buffer> strangerUnknown = scan(strangerToken, unknown);
    HttpResponse<Buffer> rivalUnknown = scan(rivalToken, unknown);
    HttpResponse<Buffer> buyer = scan(api.buyerToken("guest@example.org"), tokenFor(order, 0));
    HttpResponse<Buffer> staff = scan(api.token(DOOR_STAFF, EnumSet.of(Role.BUYER, Role.STAFF)), tokenFor(order, 1));

    for (HttpResponse<Buffer> foreign : List.of(stranger, rival, rivalOfCancelled)) {
      assertThat(foreign.statusCode()).isEqualTo(404);
      assertThat(foreign.bodyAsJsonObject()).isEqualTo(strangerUnknown.bodyAsJsonObject())
          .isEqualTo(rivalUnknown.bodyAsJsonObject());
    }
    assertThat(buyer.statusCode()).isEqualTo(403);
    assertThat(scan(claimsStaff, tokenFor(order, 0)).statusCode()).isEqualTo(403);
    assertThat(staff.statusCode()).as(staff.bodyAsString()).isEqualTo(200);
    assertThat(myTicket("guest@example.org", ticketId(order, 0)).getString("status")).isEqualTo("valid");
  }

  @Test
  @DisplayName("the dev login gives door staff the staff role")
  void devLoginGrantsStaff() {
    HttpResponse<Buffer> login = api.send(HttpMethod.POST, "/api/dev/login", null,
        new JsonObject().put("email", DOOR_STAFF));
    JsonObject order = buy("devlogin@example.org", 1);

    HttpResponse<Buffer> scanned = scan(login.bodyAsJsonObject().getString("token"), tokenFor(order, 0));

    assertThat(scanned.statusCode()).as(scanned.bodyAsString()).isEqualTo(200);
  }

  @Test
  @DisplayName("garbage and forged tokens answer 400 invalid_ticket; a valid signature on an unknown ticket 404")
  void invalidTokens() {
    JsonObject order = buy("forger@example.org", 1);
    TicketClaims claims = claims(order, 0, Instant.now().minusSeconds(3600), Instant.now().plusSeconds(3600));
    PrivateKey otherKey = SessionTokens.generateKeyPair().getPrivate();
    String unknown = TicketTokens.sign(new TicketClaims(UUID.randomUUID(), claims.eventId(), claims.ticketTypeId(),
        claims.validFrom(), claims.validUntil()), TestApi.TICKET_KEYS.getPrivate());

    HttpResponse<Buffer> garbage = scan(organizer, "hello door");
    HttpResponse<Buffer> forged = scan(organizer, TicketTokens.sign(claims, otherKey));
    HttpResponse<Buffer> missing = scan(organizer, unknown);
    HttpResponse<Buffer> noToken = api.send(HttpMethod.POST, "/api/checkin", organizer, new JsonObject());

    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(garbage.bodyAsJsonObject().getString("code")).isEqualTo("invalid_ticket");
    assertThat(forged.statusCode()).isEqualTo(400);
    assertThat(forged.bodyAsJsonObject().getString("code")).isEqualTo("invalid_ticket");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(noToken.statusCode()).isEqualTo(400);
    assertThat(myTicket("forger@example.org", ticketId(order, 0)).getString("status")).isEqualTo("valid");
  }

  @Test
  @DisplayName("a body that is not the documented JSON answers 4xx, an anonymous scan 401, and nothing is checked in")
  void badRequests() {
    JsonObject order = buy("careful@example.org", 1);
    String token = tokenFor(order, 0);

    HttpResponse<Buffer> anonymous = scan(null, token);
    HttpResponse<Buffer> notJson = await(api.request(HttpMethod.POST, "/api/checkin", organizer)
        .putHeader("Content-Type", "application/x-www-form-urlencoded").sendBuffer(Buffer.buffer("token=" + token)));
    HttpResponse<Buffer> malformed = api.send(HttpMethod.POST, "/api/checkin", organizer, "{\"token\": ");
    HttpResponse<Buffer> extraField = api.send(HttpMethod.POST, "/api/checkin", organizer,
        new JsonObject().put("token", token).put("force", true));
    HttpResponse<Buffer> notText = api.send(HttpMethod.POST, "/api/checkin", organizer,
        new JsonObject().put("token", 42));
    HttpResponse<Buffer> huge = scan(organizer, "A".repeat(5000));

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(notJson.statusCode()).isEqualTo(415);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(extraField.statusCode()).isEqualTo(400);
    assertThat(notText.statusCode()).isEqualTo(400);
    assertThat(huge.statusCode()).isEqualTo(400);
    assertThat(myTicket("careful@example.org", ticketId(order, 0)).getString("status")).isEqualTo("valid");
  }

  @Test
  @DisplayName("a ticket outside its validity window answers 409 ticket_not_valid_now and stays valid")
  void outsideValidity() {
    JsonObject order = buy("early@example.org", 1);
    String tomorrow = TicketTokens.sign(claims(order, 0, Instant.now().plus(Duration.ofDays(1)),
        Instant.now().plus(Duration.ofDays(2))), TestApi.TICKET_KEYS.getPrivate());

    HttpResponse<Buffer> scanned = scan(organizer, tomorrow);

    assertThat(scanned.statusCode()).isEqualTo(409);
    assertThat(scanned.bodyAsJsonObject().getString("code")).isEqualTo("ticket_not_valid_now");
    assertThat(myTicket("early@example.org", ticketId(order, 0)).getString("status")).isEqualTo("valid");
  }

  @Test
  @DisplayName("a ticket of a cancelled order answers 409 ticket_cancelled")
  void cancelledTicket() {
    JsonObject order = buy("refund@example.org", 1);
    HttpResponse<Buffer> cancelled = api.send(HttpMethod.POST, "/api/orders/" + order.getString("id") + "/cancel",
        organizer, null);
    assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(200);

    HttpResponse<Buffer> scanned = scan(organizer, tokenFor(order, 0));

    assertThat(scanned.statusCode()).isEqualTo(409);
    assertThat(scanned.bodyAsJsonObject().getString("code")).isEqualTo("ticket_cancelled");
  }

  @Test
  @DisplayName("the organizer's summary counts checked-in tickets per ticket type")
  void summaryCountsCheckedIn() {
    String summaryEvent = api.publishedEvent("Counted");
    String type = api.ticketTypeOnSale(summaryEvent, 10, 5);
    JsonObject order = placed(await(api.purchase(type, api.buyerToken("counted@example.org"), TestApi.newKey(), 3)));
    for (int i = 0; i < 2; i++) {
      String token = TicketTokens.sign(new TicketClaims(UUID.fromString(ticketId(order, i)),
          UUID.fromString(summaryEvent), UUID.fromString(type), Instant.now().minusSeconds(60),
          Instant.now().plusSeconds(3600)), TestApi.TICKET_KEYS.getPrivate());
      assertThat(scan(organizer, token).statusCode()).isEqualTo(200);
    }

    JsonObject summary = api.send(HttpMethod.GET, "/api/events/" + summaryEvent + "/summary", organizer, null)
        .bodyAsJsonObject();

    JsonObject standing = summary.getJsonArray("ticketTypes").getJsonObject(0);
    assertThat(standing.getInteger("sold")).isEqualTo(3);
    assertThat(standing.getInteger("checkedIn")).isEqualTo(2);
  }

  @Test
  @DisplayName("a buyer's tickets show their QR status, pending while no workflow has rendered them")
  void ticketsShowQrStatus() {
    JsonObject order = buy("pending@example.org", 1);

    assertThat(order.getJsonArray("tickets").getJsonObject(0).getString("qrStatus")).isEqualTo("pending");
    assertThat(myTicket("pending@example.org", ticketId(order, 0)).getString("qrStatus")).isEqualTo("pending");
  }

  @Test
  @DisplayName("client-config tells anyone the serverless API URL, where event images load from, and the mode")
  void clientConfig() {
    HttpResponse<Buffer> answer = api.send(HttpMethod.GET, "/api/client-config", null, null);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.bodyAsJsonObject()).isEqualTo(new JsonObject()
        .put("serverlessApiUrl", TestApi.SERVERLESS_API_URL)
        .put("imageBaseUrl", TestApi.IMAGE_BASE_URL)
        .put("mode", "local"));
  }

  private static HttpResponse<Buffer> scan(String sessionToken, String ticketToken) {
    return api.send(HttpMethod.POST, "/api/checkin", sessionToken, new JsonObject().put("token", ticketToken));
  }

  private static JsonObject buy(String buyer, int quantity) {
    return placed(await(api.purchase(ticketTypeId, api.buyerToken(buyer), TestApi.newKey(), quantity)));
  }

  private static JsonObject placed(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    return response.bodyAsJsonObject();
  }

  private static String ticketId(JsonObject order, int index) {
    return order.getJsonArray("tickets").getJsonObject(index).getString("id");
  }

  private static TicketClaims claims(JsonObject order, int index, Instant validFrom, Instant validUntil) {
    return new TicketClaims(UUID.fromString(ticketId(order, index)), UUID.fromString(order.getString("eventId")),
        UUID.fromString(order.getString("ticketTypeId")), validFrom, validUntil);
  }

  /** What the create-ticket Lambda would render into the QR code: valid from an hour ago for an hour. */
  private static String tokenFor(JsonObject order, int index) {
    return TicketTokens.sign(claims(order, index, Instant.now().minusSeconds(3600), Instant.now().plusSeconds(3600)),
        TestApi.TICKET_KEYS.getPrivate());
  }

  private static JsonObject myTicket(String buyer, String ticketId) {
    JsonArray items = api.send(HttpMethod.GET, "/api/me/tickets?limit=100", api.buyerToken(buyer), null)
        .bodyAsJsonObject().getJsonArray("items");
    for (int i = 0; i < items.size(); i++) {
      if (items.getJsonObject(i).getString("id").equals(ticketId)) {
        return items.getJsonObject(i);
      }
    }
    throw new AssertionError("ticket " + ticketId + " is not among " + buyer + "'s tickets");
  }
}
