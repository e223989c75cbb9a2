package dev.boxoffice.backend.checkin;

import static dev.boxoffice.backend.checkin.DoorTickets.scan;
import static dev.boxoffice.backend.checkin.DoorTickets.ticketIds;
import static dev.boxoffice.backend.web.TestApi.DOOR_STAFF;
import static dev.boxoffice.backend.web.TestApi.ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.OTHER_ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code POST /api/events/{id}/offline-scans}: what an offline door's sync records, against the real PostgreSQL. */
class OfflineScansApiTest {

  private static TestApi api;
  private static String organizer;
  private static String staff;
  private static DoorTickets door;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
    organizer = api.organizerToken(ORGANIZER);
    staff = api.token(DOOR_STAFF, EnumSet.of(Role.BUYER, Role.STAFF));
    String eventId = api.publishedEvent("Offline doors");
    door = new DoorTickets(api, eventId, api.ticketTypeOnSale(eventId, 500, 50));
  }

  @Test
  @DisplayName("a batch admits each ticket at its scan time; sent again it answers the same and writes nothing more")
  void idempotentBatch() {
    List<String> tickets = ticketIds(door.buy("batch@example.org", 3));
    Instant at = Instant.now().minusSeconds(600).truncatedTo(ChronoUnit.MILLIS);
    JsonObject[] scans = new JsonObject[3];
    for (int i = 0; i < 3; i++) {
      scans[i] = scan(UUID.randomUUID().toString(), door.token(tickets.get(i)), at.plusSeconds(i));
    }

    HttpResponse<Buffer> first = door.sync(staff, "North door", scans);
    HttpResponse<Buffer> again = door.sync(staff, "North door", scans);

    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    assertThat(again.statusCode()).as(again.bodyAsString()).isEqualTo(200);
    assertThat(again.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    JsonArray results = first.bodyAsJsonObject().getJsonArray("results");
    for (int i = 0; i < 3; i++) {
      JsonObject result = results.getJsonObject(i);
      assertThat(result.getString("id")).isEqualTo(scans[i].getString("id"));
      assertThat(result.getString("outcome")).isEqualTo("admitted");
      assertThat(result.getString("ticketId")).isEqualTo(tickets.get(i));
      assertThat(Instant.parse(result.getString("firstScannedAt"))).isEqualTo(at.plusSeconds(i));
      assertThat(door.ticket(tickets.get(i))).isEqualTo(new DoorTickets.TicketRow("checked_in", at.plusSeconds(i)));
      assertThat(door.scansWithId(scans[i].getString("id"))).isEqualTo(1);
    }
    assertThat(first.bodyAsJsonObject().getInteger("conflicts")).isZero();
  }

  @Test
  @DisplayName("one ticket let in at two offline doors: the earlier scan is its entry, whichever syncs first")
  void firstScanWins() {
    String ticket = ticketIds(door.buy("twice@example.org", 1)).get(0);
    Instant early = Instant.now().minusSeconds(900).truncatedTo(ChronoUnit.MILLIS);
    String northScan = UUID.randomUUID().toString();
    String southScan = UUID.randomUUID().toString();

    HttpResponse<Buffer> south = door.sync(staff, "South door",
        scan(southScan, door.token(ticket), early.plusSeconds(300)));
    HttpResponse<Buffer> north = door.sync(staff, "North door", scan(northScan, door.token(ticket), early));
    HttpResponse<Buffer> southAgain = door.sync(staff, "South door",
        scan(southScan, door.token(ticket), early.plusSeconds(300)));

    assertThat(result(south).getString("outcome")).isEqualTo("admitted");
    assertThat(result(north).getString("outcome")).isEqualTo("admitted");
    assertThat(result(southAgain).getString("outcome")).isEqualTo("duplicate");
    assertThat(Instant.parse(result(southAgain).getString("firstScannedAt"))).isEqualTo(early);
    assertThat(door.ticket(ticket)).isEqualTo(new DoorTickets.TicketRow("checked_in", early));
    JsonObject conflict = conflictOf(ticket);
    assertThat(conflict.getString("kind")).isEqualTo("duplicate");
    assertThat(conflict.getString("scanId")).isEqualTo(southScan);
    assertThat(conflict.getJsonObject("scan")).isEqualTo(new JsonObject()
        .put("at", early.plusSeconds(300).toString()).put("by", DOOR_STAFF).put("door", "South door"));
    assertThat(conflict.getJsonObject("firstScan")).isEqualTo(new JsonObject()
        .put("at", early.toString()).put("by", DOOR_STAFF).put("door", "North door"));
  }

  @Test
  @DisplayName("an offline scan earlier than an online check-in becomes the entry; the online scan is the conflict")
  void offlineBeforeOnline() {
    String ticket = ticketIds(door.buy("online@example.org", 1)).get(0);
    HttpResponse<Buffer> online = api.send(HttpMethod.POST, "/api/checkin", organizer,
        new JsonObject().put("token", door.token(ticket)).put("door", "Box office"));
    assertThat(online.statusCode()).as(online.bodyAsString()).isEqualTo(200);
    Instant earlier = Instant.parse(online.bodyAsJsonObject().getString("checkedInAt")).minusSeconds(60)
        .truncatedTo(ChronoUnit.MILLIS);

    HttpResponse<Buffer> synced = door.sync(staff, "Gate B", scan(UUID.randomUUID().toString(), door.token(ticket),
        earlier));

    assertThat(result(synced).getString("outcome")).isEqualTo("admitted");
    assertThat(door.ticket(ticket).checkedInAt()).isEqualTo(earlier);
    JsonObject conflict = conflictOf(ticket);
    assertThat(conflict.getJsonObject("scan").getString("door")).isEqualTo("Box office");
    assertThat(conflict.getJsonObject("scan").getString("by")).isEqualTo(ORGANIZER);
    assertThat(conflict.getJsonObject("firstScan").getString("door")).isEqualTo("Gate B");
  }

  @Test
  @DisplayName("an online scan sent again with its scanId answers 200 as it did, and syncing it later is no conflict")
  void lostOnlineAnswer() {
    String ticket = ticketIds(door.buy("lost@example.org", 1)).get(0);
    String scanId = UUID.randomUUID().toString();
    JsonObject body = new JsonObject().put("token", door.token(ticket)).put("scanId", scanId);

    HttpResponse<Buffer> first = api.send(HttpMethod.POST, "/api/checkin", staff, body);
    HttpResponse<Buffer> retried = api.send(HttpMethod.POST, "/api/checkin", staff, body);
    HttpResponse<Buffer> queued = door.sync(staff, null, scan(scanId, door.token(ticket), Instant.now()));
    HttpResponse<Buffer> otherScan = api.send(HttpMethod.POST, "/api/checkin", staff,
        new JsonObject().put("token", door.token(ticket)));

    assertThat(first.statusCode()).as(first.bodyAsString()).isEqualTo(200);
    assertThat(retried.statusCode()).as(retried.bodyAsString()).isEqualTo(200);
    assertThat(retried.bodyAsJsonObject()).isEqualTo(first.bodyAsJsonObject());
    assertThat(result(queued).getString("outcome")).isEqualTo("admitted");
    assertThat(queued.bodyAsJsonObject().getInteger("conflicts")).isZero();
    assertThat(otherScan.statusCode()).isEqualTo(409);
    assertThat(door.scansWithId(scanId)).isEqualTo(1);
    assertThat(conflicts().getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("ticketId")))
        .doesNotContain(ticket);
  }

  @Test
  @DisplayName("a scanId reused for another ticket: 422 online, rejected in a batch, and nothing changes")
  void scanIdReused() {
    List<String> tickets = ticketIds(door.buy("reuse@example.org", 2));
    String scanId = UUID.randomUUID().toString();
    assertThat(api.send(HttpMethod.POST, "/api/checkin", staff, new JsonObject().put("token",
        door.token(tickets.get(0))).put("scanId", scanId)).statusCode()).isEqualTo(200);

    HttpResponse<Buffer> online = api.send(HttpMethod.POST, "/api/checkin", staff,
        new JsonObject().put("token", door.token(tickets.get(1))).put("scanId", scanId));
    HttpResponse<Buffer> synced = door.sync(staff, null, scan(scanId, door.token(tickets.get(1)), Instant.now()));

    assertThat(online.statusCode()).isEqualTo(422);
    assertThat(online.bodyAsJsonObject().getString("code")).isEqualTo("scan_id_reused");
    assertThat(result(synced).getString("outcome")).isEqualTo("rejected");
    assertThat(result(synced).getString("code")).isEqualTo("scan_id_reused");
    assertThat(door.ticket(tickets.get(1)).status()).isEqualTo("valid");
  }

  @Test
  @DisplayName("a ticket cancelled before its door synced is a conflict; forged, foreign, mistimed scans are rejected")
  void cancelledAndRejected() {
    JsonObject order = door.buy("void@example.org", 1);
    String cancelled = ticketIds(order).get(0);
    HttpResponse<Buffer> cancel = api.send(HttpMethod.POST, "/api/orders/" + order.getString("id") + "/cancel",
        organizer, null);
    assertThat(cancel.statusCode()).as(cancel.bodyAsString()).isEqualTo(200);
    List<String> tickets = ticketIds(door.buy("mixed@example.org", 4));
    String forged = TicketTokens.sign(new TicketClaims(UUID.fromString(tickets.get(0)), UUID.fromString(door.eventId()),
        UUID.randomUUID(), Instant.now().minusSeconds(60), Instant.now().plusSeconds(60)),
        SessionTokens.generateKeyPair().getPrivate());
    String otherEvent = door.token(tickets.get(1), UUID.randomUUID().toString(), Instant.now().minusSeconds(60),
        Instant.now().plusSeconds(60));
    String yesterdayOnly = door.token(tickets.get(2), door.eventId(), Instant.now().minusSeconds(2 * 86_400),
        Instant.now().minusSeconds(86_400));
    List<JsonObject> scans = List.of(
        scan(UUID.randomUUID().toString(), door.token(cancelled), Instant.now()),
        scan(UUID.randomUUID().toString(), forged, Instant.now()),
        scan(UUID.randomUUID().toString(), otherEvent, Instant.now()),
        scan(UUID.randomUUID().toString(), yesterdayOnly, Instant.now()),
        scan(UUID.randomUUID().toString(), door.token(tickets.get(3)), Instant.now().plusSeconds(3600)),
        scan(UUID.randomUUID().toString(), "not a ticket at all", Instant.now()));

    HttpResponse<Buffer> synced = door.sync(staff, null, scans.toArray(JsonObject[]::new));

    assertThat(synced.statusCode()).as(synced.bodyAsString()).isEqualTo(200);
    JsonArray results = synced.bodyAsJsonObject().getJsonArray("results");
    assertThat(results.getJsonObject(0).getString("outcome")).isEqualTo("cancelled");
    List<String> codes = new ArrayList<>();
    for (int i = 1; i < scans.size(); i++) {
      assertThat(results.getJsonObject(i).getString("outcome")).isEqualTo("rejected");
      assertThat(door.scansWithId(scans.get(i).getString("id"))).isZero();
      codes.add(results.getJsonObject(i).getString("code"));
    }
    assertThat(codes).containsExactly("invalid_ticket", "wrong_event", "ticket_not_valid_now", "scanned_in_future",
        "invalid_ticket");
    assertThat(synced.bodyAsJsonObject().getInteger("conflicts")).isEqualTo(1);
    assertThat(conflictOf(cancelled).getString("kind")).isEqualTo("cancelled");
    assertThat(door.ticket(cancelled).status()).isEqualTo("cancelled");
    tickets.forEach(ticket -> assertThat(door.ticket(ticket).status()).isEqualTo("valid"));
  }

  @Test
  @DisplayName("ten doors syncing one ticket at once: one entry at the earliest scan time and nine conflicts")
  void simultaneousDoors() {
    String ticket = ticketIds(door.buy("crowd@example.org", 1)).get(0);
    Instant base = Instant.now().minusSeconds(3000).truncatedTo(ChronoUnit.MILLIS);
    List<Future<HttpResponse<Buffer>>> syncs = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      JsonObject body = new JsonObject().put("door", "Door " + i).put("scans", new JsonArray()
          .add(scan(UUID.randomUUID().toString(), door.token(ticket), base.plusSeconds(10L * (10 - i)))));
      syncs.add(api.request(HttpMethod.POST, "/api/events/" + door.eventId() + "/offline-scans", staff)
          .sendJsonObject(body));
    }
    await(Future.join(syncs));

    syncs.forEach(sync -> assertThat(sync.result().statusCode()).as(sync.result().bodyAsString()).isEqualTo(200));
    assertThat(door.ticket(ticket).checkedInAt()).isEqualTo(base.plusSeconds(10));
    List<JsonObject> ofTicket = conflicts().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(item -> item.getString("ticketId").equals(ticket)).toList();
    assertThat(ofTicket).hasSize(9);
    ofTicket.forEach(conflict -> assertThat(conflict.getJsonObject("firstScan").getString("door")).isEqualTo("Door 9"));
  }

  @Test
  @DisplayName("who syncs: the organizer and its door staff; anonymous 401, buyers, others' staff 403, unknown 404")
  void whoMaySync() {
    List<String> tickets = ticketIds(door.buy("who@example.org", 2));
    JsonObject scan = scan(UUID.randomUUID().toString(), door.token(tickets.get(0)), Instant.now());
    String unknownEvent = "/api/events/" + UUID.randomUUID() + "/offline-scans";

    HttpResponse<Buffer> anonymous = door.sync(null, null, scan);
    HttpResponse<Buffer> buyer = door.sync(api.buyerToken("who@example.org"), null, scan);
    HttpResponse<Buffer> strangerStaff = door.sync(api.token("other-door@example.org",
        EnumSet.of(Role.BUYER, Role.STAFF)), null, scan);
    HttpResponse<Buffer> rival = door.sync(api.organizerToken(OTHER_ORGANIZER), null, scan);
    HttpResponse<Buffer> unknown = api.send(HttpMethod.POST, unknownEvent, staff,
        new JsonObject().put("scans", new JsonArray().add(scan)));
    HttpResponse<Buffer> owner = door.sync(organizer, null,
        scan(UUID.randomUUID().toString(), door.token(tickets.get(1)), Instant.now()));

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(buyer.statusCode()).isEqualTo(403);
    assertThat(strangerStaff.statusCode()).isEqualTo(403);
    assertThat(rival.statusCode()).isEqualTo(403);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(owner.statusCode()).as(owner.bodyAsString()).isEqualTo(200);
    assertThat(door.ticket(tickets.get(0)).status()).isEqualTo("valid");
    assertThat(door.scansWithId(scan.getString("id"))).isZero();
  }

  @Test
  @DisplayName("a batch that does not match the contract answers 400 naming the field, and none of it is written")
  void badBatches() {
    String ticket = ticketIds(door.buy("careful-door@example.org", 1)).get(0);
    String goodId = UUID.randomUUID().toString();
    JsonObject good = scan(goodId, door.token(ticket), Instant.now());
    JsonArray tooMany = new JsonArray();
    for (int i = 0; i < 201; i++) {
      tooMany.add(scan(UUID.randomUUID().toString(), door.token(ticket), Instant.now()));
    }
    String path = "/api/events/" + door.eventId() + "/offline-scans";

    List<HttpResponse<Buffer>> refused = List.of(
        door.sync(staff, null),
        api.send(HttpMethod.POST, path, staff, new JsonObject().put("scans", tooMany)),
        door.sync(staff, null, good, scan(goodId, door.token(ticket), Instant.now())),
        door.sync(staff, null, good, scan("not-a-uuid-but-exactly-36-characters", door.token(ticket), Instant.now())),
        door.sync(staff, null, good, new JsonObject().put("id", UUID.randomUUID().toString())
            .put("token", door.token(ticket)).put("scannedAt", "yesterday at nine, or thereabouts")),
        door.sync(staff, null, good.copy().put("admit", true)),
        door.sync(staff, "D".repeat(61), good),
        api.send(HttpMethod.POST, path, staff, "{\"scans\": ["));

    assertThat(refused).allSatisfy(response -> {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(400);
      assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("invalid_request");
    });
    assertThat(refused.get(2).bodyAsJsonObject().getString("field")).isEqualTo("scans[1].id");
    assertThat(refused.get(4).bodyAsJsonObject().getString("field")).isEqualTo("scans[1].scannedAt");
    assertThat(door.ticket(ticket).status()).isEqualTo("valid");
    assertThat(door.scansWithId(goodId)).isZero();
  }

  private static JsonObject result(HttpResponse<Buffer> synced) {
    assertThat(synced.statusCode()).as(synced.bodyAsString()).isEqualTo(200);
    return synced.bodyAsJsonObject().getJsonArray("results").getJsonObject(0);
  }

  private static JsonObject conflicts() {
    HttpResponse<Buffer> answer = api.send(HttpMethod.GET, "/api/events/" + door.eventId()
        + "/checkin-conflicts?limit=100", organizer, null);
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    return answer.bodyAsJsonObject();
  }

  private static JsonObject conflictOf(String ticketId) {
    List<JsonObject> found = conflicts().getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(item -> item.getString("ticketId").equals(ticketId)).toList();
    assertThat(found).as("conflicts of ticket " + ticketId).hasSize(1);
    return found.get(0);
  }
}
