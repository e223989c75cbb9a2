package dev.boxoffice.backend.payments;

import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Rushes of holds through HTTP on the real backend, PostgreSQL and Redis: exactly capacity held, the rest refused;
 * expiry gives the tickets back (by the sweeper, or by the next purchase batch of the ticket type), and a second rush
 * takes them exactly once more.
 */
class HoldRushTest {

  private static final int CAPACITY = 500;
  private static final int BUYERS = 2_000;

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
  }

  @Test
  @DisplayName("2,000 buyers rushing 500 priced tickets hold exactly 500; expiry returns them and a second rush holds"
      + " them again")
  void rushExpireRush() {
    String eventId = api.publishedEvent("Hold rush");
    String ticketTypeId = api.ticketTypeOnSale(eventId, CAPACITY, 4, 4_500, "EUR");

    List<HttpResponse<Buffer>> first = rush(ticketTypeId, "first");

    assertExactlyHeld(ticketTypeId, first, CAPACITY);
    assertThat(remainingShown(eventId)).as("held tickets are taken for everyone").isZero();

    expireAllHolds(ticketTypeId);
    awaitHeld(ticketTypeId, 0, Duration.ofSeconds(20));
    assertThat(count("SELECT count(*) FROM holds WHERE ticket_type_id = $1 AND status = 'expired'", ticketTypeId))
        .isEqualTo(CAPACITY);
    assertThat(count("SELECT count(*) FROM outbox WHERE type = 'HoldExpired' AND payload->>'ticketTypeId' = $1",
        ticketTypeId)).as("each buyer is told").isEqualTo(CAPACITY);
    assertThat(remainingShown(eventId)).as("the event page shows them on sale again").isEqualTo(CAPACITY);

    List<HttpResponse<Buffer>> second = rush(ticketTypeId, "second");

    assertExactlyHeld(ticketTypeId, second, CAPACITY);
    assertThat(count("SELECT count(*) FROM holds WHERE ticket_type_id = $1", ticketTypeId))
        .isEqualTo(2L * CAPACITY);
  }

  @Test
  @DisplayName("expired holds of a ticket type on sale sell again at once, whoever releases them first: its next"
      + " purchase batch, under the lock it holds anyway, or the sweeper")
  void expiredHoldsSellAgainInTheNextRush() {
    String eventId = api.publishedEvent("Hold rush, resold at once");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 100, 4, 1_000, "EUR");
    assertThat(rushOf(ticketTypeId, "early", 60)).allSatisfy(response -> assertThat(response.statusCode())
        .isEqualTo(201));

    expireAllHolds(ticketTypeId);
    List<HttpResponse<Buffer>> late = rushOf(ticketTypeId, "late", 150);

    assertThat(late.stream().filter(response -> response.statusCode() == 201)).hasSize(100);
    assertThat(heldOf(ticketTypeId)).isEqualTo(100);
    assertThat(count("SELECT count(*) FROM holds WHERE ticket_type_id = $1 AND status = 'active'", ticketTypeId))
        .isEqualTo(100);
    assertThat(count("SELECT count(*) FROM holds WHERE ticket_type_id = $1 AND status = 'expired'", ticketTypeId))
        .isEqualTo(60);
  }

  private static List<HttpResponse<Buffer>> rush(String ticketTypeId, String prefix) {
    return rushOf(ticketTypeId, prefix, BUYERS);
  }

  private static List<HttpResponse<Buffer>> rushOf(String ticketTypeId, String prefix, int buyers) {
    List<String> tokens = new ArrayList<>(buyers);
    for (int i = 0; i < buyers; i++) {
      tokens.add(api.buyerToken(prefix + i + "@example.org"));
    }
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>(buyers);
    for (String token : tokens) {
      sent.add(api.hold(ticketTypeId, token, UUID.randomUUID().toString(), 1));
    }
    await(Future.join(sent));
    return sent.stream().map(Future::result).toList();
  }

  private static void assertExactlyHeld(String ticketTypeId, List<HttpResponse<Buffer>> responses, int capacity) {
    List<HttpResponse<Buffer>> held = responses.stream().filter(response -> response.statusCode() == 201).toList();
    assertThat(held).hasSize(capacity).allSatisfy(response -> {
      JsonObject hold = response.bodyAsJsonObject();
      assertThat(hold.getString("status")).isEqualTo("active");
      assertThat(Instant.parse(hold.getString("expiresAt")))
          .isEqualTo(Instant.parse(hold.getString("createdAt")).plus(Duration.ofMinutes(10)));
    });
    assertThat(responses.stream().filter(response -> response.statusCode() != 201)).allSatisfy(response -> {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(409);
      assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("sold_out");
    });
    assertThat(heldOf(ticketTypeId)).isEqualTo(capacity);
    assertThat(count("SELECT count(*) FROM holds WHERE ticket_type_id = $1 AND status = 'active'", ticketTypeId))
        .isEqualTo(capacity);
    assertThat(count("SELECT count(*) FROM orders WHERE ticket_type_id = $1", ticketTypeId))
        .as("holds are not orders").isZero();
  }

  /** Time passing, for the holds of one ticket type: their expiry is now behind them. */
  private static void expireAllHolds(String ticketTypeId) {
    await(api.app().pool().preparedQuery("UPDATE holds SET expires_at = now() - interval '1 second'"
        + " WHERE ticket_type_id = $1 AND status = 'active'").execute(Tuple.of(UUID.fromString(ticketTypeId))));
  }

  private static void awaitHeld(String ticketTypeId, int expected, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (heldOf(ticketTypeId) != expected && Instant.now().isBefore(deadline)) {
      sleep(100);
    }
    assertThat(heldOf(ticketTypeId)).isEqualTo(expected);
  }

  private static int remainingShown(String eventId) {
    JsonObject event = api.send(HttpMethod.GET, "/api/events/" + eventId, null, null).bodyAsJsonObject();
    return event.getJsonArray("ticketTypes").getJsonObject(0).getInteger("remaining");
  }

  private static int heldOf(String ticketTypeId) {
    return await(api.app().pool().preparedQuery("SELECT held FROM ticket_types WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(ticketTypeId)))).iterator().next().getInteger("held");
  }

  private static long count(String sql, String ticketTypeId) {
    Object parameter = sql.contains("payload->>") ? ticketTypeId : UUID.fromString(ticketTypeId);
    return await(api.app().pool().preparedQuery(sql).execute(Tuple.of(parameter))).iterator().next().getLong(0);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
