package dev.boxoffice.backend.checkin;

import static dev.boxoffice.backend.checkin.DoorTickets.ticketIds;
import static dev.boxoffice.backend.web.TestApi.DOOR_STAFF;
import static dev.boxoffice.backend.web.TestApi.ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.OTHER_ORGANIZER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.web.TestApi;
import dev.boxoffice.codecs.session.Role;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a door downloads before it goes offline, and who may download it. */
class DoorBundleApiTest {

  private static TestApi api;
  private static String organizer;
  private static String staff;
  private static String eventId;
  private static DoorTickets door;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
    organizer = api.organizerToken(ORGANIZER);
    staff = api.token(DOOR_STAFF, EnumSet.of(Role.BUYER, Role.STAFF));
    eventId = api.publishedEvent("Bundle night");
    door = new DoorTickets(api, eventId, api.ticketTypeOnSale(eventId, 100, 10));
  }

  @Test
  @DisplayName("the bundle holds the event, its ticket types, the raw ticket public key and the tickets' window")
  void bundleContents() {
    HttpResponse<Buffer> answer = api.send(HttpMethod.GET, "/api/events/" + eventId + "/door-bundle", staff, null);

    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    JsonObject bundle = answer.bodyAsJsonObject();
    assertThat(bundle.getJsonObject("event").getString("id")).isEqualTo(eventId);
    assertThat(bundle.getJsonObject("event").getString("status")).isEqualTo("published");
    JsonArray types = bundle.getJsonArray("ticketTypes");
    assertThat(types).hasSize(1);
    assertThat(types.getJsonObject(0).getString("name")).isEqualTo("Standing");
    byte[] spki = TestApi.TICKET_KEYS.getPublic().getEncoded();
    assertThat(Base64.getUrlDecoder().decode(bundle.getString("ticketPublicKey")))
        .isEqualTo(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
    assertThat(bundle.getString("validFrom")).isEqualTo("2030-05-31T18:00:00Z");
    assertThat(bundle.getString("validUntil")).isEqualTo("2030-06-02T05:00:00Z");
  }

  @Test
  @DisplayName("the ticket list holds the cancelled and the used tickets, compact, page by page until no 'after'")
  void ticketList() {
    String listEvent = api.publishedEvent("Listed night");
    DoorTickets listed = new DoorTickets(api, listEvent, api.ticketTypeOnSale(listEvent, 100, 10));
    JsonObject cancelledOrder = listed.buy("list-cancel@example.org", 2);
    assertThat(api.send(HttpMethod.POST, "/api/orders/" + cancelledOrder.getString("id") + "/cancel", organizer, null)
        .statusCode()).isEqualTo(200);
    List<String> kept = ticketIds(listed.buy("list-keep@example.org", 3));
    assertThat(api.send(HttpMethod.POST, "/api/checkin", staff, new JsonObject().put("token",
        listed.token(kept.get(0)))).statusCode()).isEqualTo(200);

    List<String> cancelled = new ArrayList<>();
    List<String> checkedIn = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String after = null;
    do {
      HttpResponse<Buffer> page = api.send(HttpMethod.GET, "/api/events/" + listEvent + "/door-bundle/tickets?limit=2"
          + (after == null ? "" : "&after=" + after), staff, null);
      assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
      JsonObject body = page.bodyAsJsonObject();
      cancelled.addAll(ids(body.getString("cancelled")));
      checkedIn.addAll(ids(body.getString("checkedIn")));
      pageSizes.add(body.getInteger("count"));
      after = body.getString("after");
    } while (after != null);

    assertThat(cancelled).containsExactlyInAnyOrderElementsOf(ticketIds(cancelledOrder));
    assertThat(checkedIn).containsExactly(kept.get(0));
    assertThat(pageSizes).containsExactly(2, 1);
  }

  @Test
  @DisplayName("bundle and list: the organizer and its door staff; others' staff, rivals, buyers 403; unknown 404")
  void whoMayDownload() {
    String bundle = "/api/events/" + eventId + "/door-bundle";
    String list = bundle + "/tickets";

    assertThat(api.send(HttpMethod.GET, bundle, organizer, null).statusCode()).isEqualTo(200);
    assertThat(api.send(HttpMethod.GET, list, staff, null).statusCode()).isEqualTo(200);
    for (String path : List.of(bundle, list)) {
      assertThat(api.send(HttpMethod.GET, path, null, null).statusCode()).isEqualTo(401);
      assertThat(api.send(HttpMethod.GET, path, api.buyerToken("curious@example.org"), null).statusCode())
          .isEqualTo(403);
      assertThat(api.send(HttpMethod.GET, path, api.token("other-door@example.org", EnumSet.of(Role.STAFF)), null)
          .statusCode()).isEqualTo(403);
      assertThat(api.send(HttpMethod.GET, path, api.organizerToken(OTHER_ORGANIZER), null).statusCode())
          .isEqualTo(403);
      assertThat(api.send(HttpMethod.GET, path.replace(eventId, UUID.randomUUID().toString()), staff, null)
          .statusCode()).isEqualTo(404);
    }
    HttpResponse<Buffer> badAfter = api.send(HttpMethod.GET, list + "?after=nope", staff, null);
    assertThat(badAfter.statusCode()).isEqualTo(400);
    assertThat(badAfter.bodyAsJsonObject().getString("code")).isEqualTo("invalid_request");
  }

  @Test
  @DisplayName("a door chooses among the published events of its organizers only; a buyer may not ask")
  void doorEvents() {
    String draft = api.draftEvent(ORGANIZER, "Draft night");
    String rivalEvent = api.draftEvent(OTHER_ORGANIZER, "Rival night");
    assertThat(api.send(HttpMethod.POST, "/api/events/" + rivalEvent + "/publish",
        api.organizerToken(OTHER_ORGANIZER), null).statusCode()).isEqualTo(200);

    List<String> seen = new ArrayList<>();
    String cursor = null;
    do {
      HttpResponse<Buffer> page = api.send(HttpMethod.GET, "/api/door/events?limit=100"
          + (cursor == null ? "" : "&cursor=" + cursor), staff, null);
      assertThat(page.statusCode()).as(page.bodyAsString()).isEqualTo(200);
      page.bodyAsJsonObject().getJsonArray("items").forEach(item -> {
        assertThat(((JsonObject) item).getString("organizerEmail")).isEqualTo(ORGANIZER);
        seen.add(((JsonObject) item).getString("id"));
      });
      cursor = page.bodyAsJsonObject().getString("nextCursor");
    } while (cursor != null);

    assertThat(seen).contains(eventId).doesNotContain(draft, rivalEvent);
    assertThat(api.send(HttpMethod.GET, "/api/door/events", api.buyerToken("curious@example.org"), null)
        .statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("an event's conflicts are its organizer's: door staff 403, a rival organizer 404")
  void whoSeesConflicts() {
    String path = "/api/events/" + eventId + "/checkin-conflicts";

    HttpResponse<Buffer> owner = api.send(HttpMethod.GET, path, organizer, null);

    assertThat(owner.statusCode()).as(owner.bodyAsString()).isEqualTo(200);
    assertThat(owner.bodyAsJsonObject().getLong("count")).isZero();
    assertThat(owner.bodyAsJsonObject().getJsonArray("items")).isEmpty();
    assertThat(api.send(HttpMethod.GET, path, staff, null).statusCode()).isEqualTo(403);
    assertThat(api.send(HttpMethod.GET, path, api.organizerToken(OTHER_ORGANIZER), null).statusCode())
        .isEqualTo(404);
  }

  private static List<String> ids(String compact) {
    ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(compact));
    List<String> ids = new ArrayList<>();
    while (bytes.hasRemaining()) {
      ids.add(new UUID(bytes.getLong(), bytes.getLong()).toString());
    }
    return ids;
  }
}
