package dev.boxoffice.backend.team;

import static dev.boxoffice.backend.web.TestApi.ADMIN;
import static dev.boxoffice.backend.web.TestApi.ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.OTHER_ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.web.TestApi;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Roles granted in the application, on real PostgreSQL: requests to organize and administrators' decisions, door
 * staff invited, accepted and revoked, each change on two backends within their reload, and the audit trail.
 */
class TeamApiTest {

  private static TestApi api;
  private static String admin;
  private static String organizer;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
    admin = api.buyerToken(ADMIN);
    organizer = api.buyerToken(ORGANIZER);
  }

  @Test
  @DisplayName("a buyer asks to organize and an administrator approves: the backend that approved grants it at once,"
      + " the other at its next reload; a revocation goes the same way, and each step is audited")
  void requestApproveRevokeOnTwoBackends() throws Exception {
    String email = unique("newcomer");
    String token = api.buyerToken(email);
    try (Backend other = new Backend(api.anotherBackend())) {
      assertThat(createEvent(api.app().config().httpPort(), token).statusCode()).isEqualTo(403);

      HttpResponse<Buffer> requested = api.send(HttpMethod.POST, "/api/me/organizer-request", token, null);
      HttpResponse<Buffer> again = api.send(HttpMethod.POST, "/api/me/organizer-request", token, null);
      assertThat(requested.statusCode()).as(requested.bodyAsString()).isEqualTo(201);
      assertThat(again.statusCode()).isEqualTo(409);
      assertThat(again.bodyAsJsonObject().getString("code")).isEqualTo("already_granted");
      String grantId = requested.bodyAsJsonObject().getString("id");
      assertThat(requested.bodyAsJsonObject().getString("state")).isEqualTo("requested");
      assertThat(grantIds(api.send(HttpMethod.GET, "/api/admin/organizers", admin, null))).contains(grantId);

      HttpResponse<Buffer> approved = api.send(HttpMethod.POST, "/api/admin/organizers/" + grantId + "/approve",
          admin, null);
      assertThat(approved.statusCode()).as(approved.bodyAsString()).isEqualTo(200);
      assertThat(approved.bodyAsJsonObject().getString("state")).isEqualTo("active");
      assertThat(createEvent(api.app().config().httpPort(), token).statusCode()).isEqualTo(201);
      assertThat(rolesOn(other.port(), token)).containsExactly("buyer");
      await(other.api().app().reloadRoles());
      assertThat(rolesOn(other.port(), token)).containsExactly("buyer", "organizer");
      assertThat(createEvent(other.port(), token).statusCode()).isEqualTo(201);

      HttpResponse<Buffer> revoked = api.send(HttpMethod.POST, "/api/admin/organizers/" + grantId + "/revoke",
          admin, null);
      assertThat(revoked.statusCode()).as(revoked.bodyAsString()).isEqualTo(200);
      assertThat(createEvent(api.app().config().httpPort(), token).statusCode()).isEqualTo(403);
      assertThat(createEvent(other.port(), token).statusCode()).isEqualTo(201);
      await(other.api().app().reloadRoles());
      assertThat(createEvent(other.port(), token).statusCode()).isEqualTo(403);
    }

    List<JsonObject> audit = auditOf(api.send(HttpMethod.GET, "/api/admin/organizers/audit", admin, null), email);
    assertThat(audit).extracting(entry -> entry.getString("action") + " by " + entry.getString("actor"))
        .containsExactly("revoke by " + ADMIN, "approve by " + ADMIN, "request by " + email);
  }

  @Test
  @DisplayName("only administrators see and decide requests: a buyer or an organizer gets 403, a refused request"
      + " grants nothing and may be made again")
  void onlyAdministratorsDecide() {
    String email = unique("hopeful");
    String token = api.buyerToken(email);
    String grantId = api.send(HttpMethod.POST, "/api/me/organizer-request", token, null).bodyAsJsonObject()
        .getString("id");

    for (String caller : List.of(token, organizer)) {
      assertThat(api.send(HttpMethod.GET, "/api/admin/organizers", caller, null).statusCode()).isEqualTo(403);
      HttpResponse<Buffer> approve = api.send(HttpMethod.POST, "/api/admin/organizers/" + grantId + "/approve",
          caller, null);
      assertThat(approve.statusCode()).isEqualTo(403);
      assertThat(approve.bodyAsJsonObject().getString("code")).isEqualTo("forbidden");
    }
    HttpResponse<Buffer> refused = api.send(HttpMethod.POST, "/api/admin/organizers/" + grantId + "/refuse", admin,
        null);
    HttpResponse<Buffer> approveRefused = api.send(HttpMethod.POST, "/api/admin/organizers/" + grantId + "/approve",
        admin, null);

    assertThat(refused.bodyAsJsonObject().getString("state")).isEqualTo("refused");
    assertThat(approveRefused.statusCode()).isEqualTo(404);
    assertThat(rolesOn(api.app().config().httpPort(), token)).containsExactly("buyer");
    assertThat(api.send(HttpMethod.POST, "/api/me/organizer-request", token, null).statusCode()).isEqualTo(201);
    assertThat(api.send(HttpMethod.POST, "/api/me/organizer-request", organizer, null).statusCode()).isEqualTo(409);
  }

  @Test
  @DisplayName("an organizer invites door staff for one event; the invitee accepts by signing in and checks in at"
      + " that event only; another organizer can neither invite for it nor revoke; revoked, the door is closed")
  void inviteAcceptRevokeDoorStaff() {
    String eventId = api.publishedEvent("Team door");
    String otherEventId = api.publishedEvent("Not their door");
    String staff = unique("steward");
    String staffToken = api.buyerToken(staff);
    String rival = api.buyerToken(OTHER_ORGANIZER);

    HttpResponse<Buffer> invited = invite(organizer, staff, eventId);
    assertThat(invited.statusCode()).as(invited.bodyAsString()).isEqualTo(201);
    assertThat(invited.bodyAsJsonObject().getString("state")).isEqualTo("invited");
    assertThat(invite(organizer, staff, eventId).statusCode()).isEqualTo(409);
    assertThat(invite(rival, unique("intruder"), eventId).statusCode()).isEqualTo(404);
    String grantId = invited.bodyAsJsonObject().getString("id");
    assertThat(doorBundle(staffToken, eventId).statusCode()).isEqualTo(403);

    HttpResponse<Buffer> signedIn = api.send(HttpMethod.POST, "/api/me/sign-in", staffToken, null);
    assertThat(signedIn.bodyAsJsonObject().getJsonArray("roles")).containsExactly("buyer", "staff");
    assertThat(doorBundle(staffToken, eventId).statusCode()).isEqualTo(200);
    assertThat(doorBundle(staffToken, otherEventId).statusCode()).isEqualTo(403);
    assertThat(api.send(HttpMethod.GET, "/api/door/events?limit=100", staffToken, null).bodyAsJsonObject()
        .getJsonArray("items").stream().map(item -> ((JsonObject) item).getString("id")).toList())
        .containsExactly(eventId);
    JsonObject member = api.send(HttpMethod.GET, "/api/team", organizer, null).bodyAsJsonObject()
        .getJsonArray("items").stream().map(JsonObject.class::cast)
        .filter(item -> item.getString("id").equals(grantId)).findFirst().orElseThrow();
    assertThat(member.getString("state")).isEqualTo("active");
    assertThat(member.getString("eventTitle")).isEqualTo("Team door");

    assertThat(api.send(HttpMethod.POST, "/api/team/" + grantId + "/revoke", rival, null).statusCode())
        .isEqualTo(404);
    assertThat(doorBundle(staffToken, eventId).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> revoked = api.send(HttpMethod.POST, "/api/team/" + grantId + "/revoke", organizer, null);
    assertThat(revoked.bodyAsJsonObject().getString("state")).isEqualTo("revoked");
    assertThat(doorBundle(staffToken, eventId).statusCode()).isEqualTo(403);

    List<JsonObject> audit = auditOf(api.send(HttpMethod.GET, "/api/team/audit", organizer, null), staff);
    assertThat(audit).extracting(entry -> entry.getString("action") + " by " + entry.getString("actor"))
        .containsExactly("revoke by " + ORGANIZER, "accept by " + staff, "invite by " + ORGANIZER);
    assertThat(audit).allSatisfy(entry -> assertThat(entry.getString("eventId")).isEqualTo(eventId));
  }

  @Test
  @DisplayName("an invitation made on one backend is accepted by a sign-in on another once that one has reloaded;"
      + " a sign-in without an invitation changes nothing")
  void invitationAcrossBackends() throws Exception {
    String staff = unique("porter");
    String staffToken = api.buyerToken(staff);
    try (Backend other = new Backend(api.anotherBackend())) {
      assertThat(api.send(HttpMethod.POST, "/api/team", organizer, new JsonObject().put("email", staff)).statusCode())
          .isEqualTo(201);
      assertThat(signIn(other.port(), staffToken)).containsExactly("buyer");
      await(other.api().app().reloadRoles());
      assertThat(signIn(other.port(), staffToken)).containsExactly("buyer", "staff");
      assertThat(rolesOn(api.app().config().httpPort(), staffToken)).containsExactly("buyer");
      await(api.app().reloadRoles());
      assertThat(rolesOn(api.app().config().httpPort(), staffToken)).containsExactly("buyer", "staff");
    }
    assertThat(auditOf(api.send(HttpMethod.GET, "/api/team/audit", organizer, null), staff))
        .extracting(entry -> entry.getString("action")).containsExactly("accept", "invite");
  }

  private static List<Object> signIn(int port, String token) {
    HttpResponse<Buffer> answer = await(api.request(HttpMethod.POST, port, "/api/me/sign-in", token).send());
    assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(200);
    return answer.bodyAsJsonObject().getJsonArray("roles").getList();
  }

  @Test
  @DisplayName("door staff invited for all events check in at every event of that organizer, none of another's")
  void staffForAllEvents() {
    String staff = unique("usher");
    String staffToken = api.buyerToken(staff);
    assertThat(api.send(HttpMethod.POST, "/api/team", organizer, new JsonObject().put("email", staff.toUpperCase()))
        .statusCode()).isEqualTo(201);
    api.send(HttpMethod.POST, "/api/me/sign-in", staffToken, null);
    String later = api.publishedEvent("Published after the invitation");
    String rivals = api.draftEvent(OTHER_ORGANIZER, "Rival's event");

    assertThat(doorBundle(staffToken, later).statusCode()).isEqualTo(200);
    assertThat(doorBundle(staffToken, rivals).statusCode()).isEqualTo(403);
  }

  @Test
  @DisplayName("bad input and missing roles answer 4xx with a JSON {code, message, field?} body, and write nothing")
  void badInput() {
    String buyer = api.buyerToken(unique("buyer"));
    int before = api.send(HttpMethod.GET, "/api/team", organizer, null).bodyAsJsonObject().getJsonArray("items")
        .size();

    expect(api.send(HttpMethod.POST, "/api/team", organizer, new JsonObject().put("email", "not an email")),
        400, "invalid_request", "email");
    expect(api.send(HttpMethod.POST, "/api/team", organizer, new JsonObject().put("email", "a@example.org")
        .put("eventId", "tomorrow")), 400, "invalid_request", "eventId");
    expect(api.send(HttpMethod.POST, "/api/team", organizer, new JsonObject().put("email", "a@example.org")
        .put("role", "organizer")), 400, "invalid_request", null);
    expect(api.send(HttpMethod.POST, "/api/team", organizer, new JsonObject().put("email", "a@example.org")
        .put("eventId", UUID.randomUUID().toString())), 404, "not_found", null);
    expect(api.send(HttpMethod.POST, "/api/team", organizer, new JsonObject().put("email", ORGANIZER)), 409,
        "already_granted", null);
    expect(api.send(HttpMethod.POST, "/api/team/not-a-uuid/revoke", organizer, null), 400, "invalid_request",
        "grantId");
    expect(api.send(HttpMethod.POST, "/api/team/" + UUID.randomUUID() + "/revoke", organizer, null), 404,
        "not_found", null);
    expect(api.send(HttpMethod.POST, "/api/team", buyer, new JsonObject().put("email", "a@example.org")), 403,
        "forbidden", null);
    expect(api.send(HttpMethod.GET, "/api/team/audit", buyer, null), 403, "forbidden", null);
    expect(api.send(HttpMethod.GET, "/api/me", null, null), 401, "unauthorized", null);
    expect(api.send(HttpMethod.POST, "/api/admin/organizers/" + UUID.randomUUID() + "/approve", admin, null), 404,
        "not_found", null);

    assertThat(api.send(HttpMethod.GET, "/api/team", organizer, null).bodyAsJsonObject().getJsonArray("items"))
        .hasSize(before);
  }

  @Test
  @DisplayName("the configured organizers and door staff are granted once: a revocation survives a restart")
  void bootstrapOnce() throws Exception {
    String configured = unique("configured");
    String door = unique("door");
    Config base = api.app().config();
    Config.Auth auth = base.auth();
    Config config = base.toBuilder().http("127.0.0.1", LoopbackPorts.free())
        .auth(new Config.Auth(auth.publicKeyPem(), auth.privateKeyPem(), Set.of(configured), auth.issuer(),
            auth.audience(), auth.tokenLifetime(), auth.clockSkew(), Map.of(door, Set.of(configured)),
            auth.administrators()))
        .build();
    String token = api.buyerToken(configured);
    String grantId;
    try (Backend first = new Backend(TestApi.start(config))) {
      assertThat(rolesOn(first.port(), token)).containsExactly("buyer", "organizer");
      assertThat(rolesOn(first.port(), api.buyerToken(door))).containsExactly("buyer", "staff");
      grantId = api.send(HttpMethod.GET, "/api/admin/organizers", admin, null).bodyAsJsonObject()
          .getJsonArray("items").stream().map(JsonObject.class::cast)
          .filter(grant -> grant.getString("email").equals(configured)).findFirst().orElseThrow().getString("id");
      assertThat(api.send(HttpMethod.POST, "/api/admin/organizers/" + grantId + "/revoke", admin, null)
          .statusCode()).isEqualTo(200);
    }
    try (Backend restarted = new Backend(TestApi.start(config))) {
      assertThat(rolesOn(restarted.port(), token)).containsExactly("buyer");
      assertThat(rolesOn(restarted.port(), api.buyerToken(door))).containsExactly("buyer", "staff");
    }
    assertThat(auditOf(api.send(HttpMethod.GET, "/api/admin/organizers/audit", admin, null), configured))
        .extracting(entry -> entry.getString("action") + " by " + entry.getString("actor"))
        .containsExactly("revoke by " + ADMIN, "bootstrap by configuration");
  }

  private record Backend(TestApi api) implements AutoCloseable {

    int port() {
      return api.app().config().httpPort();
    }

    @Override
    public void close() {
      api.close();
    }
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID() + "@example.org";
  }

  private static HttpResponse<Buffer> createEvent(int port, String token) {
    return await(api.request(HttpMethod.POST, port, "/api/events", token).sendJsonObject(TestApi.newEvent("Mine")));
  }

  private static List<Object> rolesOn(int port, String token) {
    HttpResponse<Buffer> me = await(api.request(HttpMethod.GET, port, "/api/me", token).send());
    assertThat(me.statusCode()).as(me.bodyAsString()).isEqualTo(200);
    return me.bodyAsJsonObject().getJsonArray("roles").getList();
  }

  private static HttpResponse<Buffer> invite(String token, String email, String eventId) {
    return api.send(HttpMethod.POST, "/api/team", token, new JsonObject().put("email", email).put("eventId", eventId));
  }

  private static HttpResponse<Buffer> doorBundle(String token, String eventId) {
    return api.send(HttpMethod.GET, "/api/events/" + eventId + "/door-bundle", token, null);
  }

  private static List<String> grantIds(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("items").stream()
        .map(item -> ((JsonObject) item).getString("id")).toList();
  }

  private static List<JsonObject> auditOf(HttpResponse<Buffer> response, String email) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    JsonArray items = response.bodyAsJsonObject().getJsonArray("items");
    return items.stream().map(JsonObject.class::cast).filter(entry -> entry.getString("email").equals(email))
        .toList();
  }

  private static void expect(HttpResponse<Buffer> response, int status, String code, String field) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("code")).isEqualTo(code);
    assertThat(body.getString("message")).isNotBlank();
    if (field != null) {
      assertThat(body.getString("field")).isEqualTo(field);
    }
  }
}
