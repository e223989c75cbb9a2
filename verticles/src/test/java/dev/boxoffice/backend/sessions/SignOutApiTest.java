package dev.boxoffice.backend.sessions;

import static dev.boxoffice.backend.web.TestApi.ADMIN;
import static dev.boxoffice.backend.web.TestApi.ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.OTHER_ORGANIZER;
import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Sign-outs on real PostgreSQL and two backends: one session, every session of the caller, someone else's sessions by
 * an administrator or their organizer, and what nobody else may do. The reload timer itself (15 s) and the Lambdas'
 * side run in local/stack's BalancedStackTest, through the load balancer and API Gateway.
 */
class SignOutApiTest {

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
  }

  @Test
  @DisplayName("a signed-out token is refused by the backend that signed it out at once and by another at its next"
      + " reload, while the person's other session goes on; a backend started later refuses it from its start")
  void signOutOneSession() throws Exception {
    String email = unique("leaver");
    String session = api.buyerToken(email);
    String otherDevice = api.buyerToken(email);
    try (TestApi other = api.anotherBackend()) {
      int otherPort = other.app().config().httpPort();
      assertThat(statusOn(otherPort, session)).isEqualTo(200);

      HttpResponse<Buffer> signedOut = api.send(HttpMethod.POST, "/api/me/sign-out", session, null);

      assertThat(signedOut.statusCode()).as(signedOut.bodyAsString()).isEqualTo(204);
      HttpResponse<Buffer> refused = api.send(HttpMethod.GET, "/api/me", session, null);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.bodyAsJsonObject().getString("code")).isEqualTo("unauthorized");
      assertThat(statusOn(otherPort, session)).as("not reloaded yet").isEqualTo(200);
      await(other.app().reloadRevocations());
      assertThat(statusOn(otherPort, session)).isEqualTo(401);
      assertThat(statusOn(otherPort, otherDevice)).isEqualTo(200);
      assertThat(api.send(HttpMethod.POST, "/api/me/sign-out", session, null).statusCode())
          .as("a signed-out token cannot sign out again").isEqualTo(401);
    }
    try (TestApi restarted = api.anotherBackend()) {
      assertThat(statusOn(restarted.app().config().httpPort(), session)).isEqualTo(401);
    }
  }

  @Test
  @DisplayName("signing out everywhere refuses every session issued until then, and a sign-in from the next second"
      + " works")
  void signOutEverywhere() throws Exception {
    String email = unique("traveller");
    String phone = api.buyerToken(email);
    String laptop = api.buyerToken(email);

    HttpResponse<Buffer> revoked = api.send(HttpMethod.POST, "/api/me/sign-out-everywhere", laptop, null);

    assertThat(revoked.statusCode()).as(revoked.bodyAsString()).isEqualTo(200);
    assertThat(revoked.bodyAsJsonObject().getString("email")).isEqualTo(email);
    Instant revokedAt = Instant.parse(revoked.bodyAsJsonObject().getString("revokedAt"));
    assertThat(api.send(HttpMethod.GET, "/api/me", phone, null).statusCode()).isEqualTo(401);
    assertThat(api.send(HttpMethod.GET, "/api/me", laptop, null).statusCode()).isEqualTo(401);
    // iat is whole seconds: a token of the revocation's second might predate it, so it is refused too.
    Thread.sleep(Math.max(0, (revokedAt.getEpochSecond() + 1) * 1000 - System.currentTimeMillis()));
    String signedInAgain = api.buyerToken(email);
    assertThat(api.send(HttpMethod.GET, "/api/me", signedInAgain, null).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("an administrator signs anyone out everywhere, an organizer their door staff; anyone else's address"
      + " answers 404 as an unknown one, a malformed one 400, and nothing is revoked")
  void signingOthersOut() {
    String stranger = unique("stranger");
    String strangerSession = api.buyerToken(stranger);
    String organizer = api.buyerToken(ORGANIZER);
    String steward = unique("steward");
    HttpResponse<Buffer> invited = api.send(HttpMethod.POST, "/api/team", organizer,
        new JsonObject().put("email", steward));
    assertThat(invited.statusCode()).as(invited.bodyAsString()).isEqualTo(201);
    String doorSession = api.buyerToken(steward);

    assertThat(revoke(api.buyerToken(unique("buyer")), stranger).statusCode()).isEqualTo(404);
    assertThat(revoke(api.buyerToken(OTHER_ORGANIZER), steward).statusCode()).isEqualTo(404);
    assertThat(revoke(organizer, stranger).statusCode()).isEqualTo(404);
    HttpResponse<Buffer> malformed = revoke(organizer, "not an address");
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.bodyAsJsonObject().getString("field")).isEqualTo("email");
    assertThat(api.send(HttpMethod.GET, "/api/me", strangerSession, null).statusCode()).isEqualTo(200);
    assertThat(api.send(HttpMethod.GET, "/api/me", doorSession, null).statusCode()).isEqualTo(200);

    assertThat(revoke(organizer, steward.toUpperCase()).statusCode()).isEqualTo(201);
    assertThat(revoke(api.buyerToken(ADMIN), stranger).statusCode()).isEqualTo(201);

    assertThat(api.send(HttpMethod.GET, "/api/me", doorSession, null).statusCode()).isEqualTo(401);
    assertThat(api.send(HttpMethod.GET, "/api/me", strangerSession, null).statusCode()).isEqualTo(401);
    assertThat(api.send(HttpMethod.POST, "/api/me/sign-out", null, null).statusCode()).isEqualTo(401);
  }

  private static HttpResponse<Buffer> revoke(String token, String email) {
    return api.send(HttpMethod.POST, "/api/session-revocations", token, new JsonObject().put("email", email));
  }

  private static int statusOn(int port, String token) {
    return await(api.request(HttpMethod.GET, port, "/api/me", token).send()).statusCode();
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID() + "@example.org";
  }
}
