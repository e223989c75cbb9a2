package dev.boxoffice.backend.checkin;

import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.web.TestApi;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Tickets bought through the API and their tokens as the create-ticket Lambda signs them, for the door's tests. */
final class DoorTickets {

  private final TestApi api;
  private final String eventId;
  private final String ticketTypeId;

  DoorTickets(TestApi api, String eventId, String ticketTypeId) {
    this.api = api;
    this.eventId = eventId;
    this.ticketTypeId = ticketTypeId;
  }

  String eventId() {
    return eventId;
  }

  /** The order a buyer placed, with its tickets. */
  JsonObject buy(String buyer, int quantity) {
    HttpResponse<Buffer> placed = await(api.purchase(ticketTypeId, api.buyerToken(buyer), TestApi.newKey(), quantity));
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(201);
    return placed.bodyAsJsonObject();
  }

  static List<String> ticketIds(JsonObject order) {
    JsonArray tickets = order.getJsonArray("tickets");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < tickets.size(); i++) {
      ids.add(tickets.getJsonObject(i).getString("id"));
    }
    return ids;
  }

  /** The token of a ticket of this event, valid from a day ago for a day. */
  String token(String ticketId) {
    return token(ticketId, eventId, Instant.now().minusSeconds(86_400), Instant.now().plusSeconds(86_400));
  }

  String token(String ticketId, String ofEvent, Instant validFrom, Instant validUntil) {
    return TicketTokens.sign(new TicketClaims(UUID.fromString(ticketId), UUID.fromString(ofEvent),
        UUID.fromString(ticketTypeId), validFrom, validUntil), TestApi.TICKET_KEYS.getPrivate());
  }

  static JsonObject scan(String id, String token, Instant scannedAt) {
    return new JsonObject().put("id", id).put("token", token).put("scannedAt", scannedAt.toString());
  }

  HttpResponse<Buffer> sync(String session, String door, JsonObject... scans) {
    JsonObject body = new JsonObject().put("scans", new JsonArray(List.of((Object[]) scans)));
    if (door != null) {
      body.put("door", door);
    }
    return api.send(HttpMethod.POST, "/api/events/" + eventId + "/offline-scans", session, body);
  }

  /** The ticket's status and check-in time, straight from the database. */
  TicketRow ticket(String ticketId) {
    return query("SELECT status, checked_in_at FROM tickets WHERE id = ?::uuid", ticketId, rows -> {
      rows.next();
      OffsetDateTime checkedInAt = rows.getObject(2, OffsetDateTime.class);
      return new TicketRow(rows.getString(1), checkedInAt == null ? null : checkedInAt.toInstant());
    });
  }

  /** How many door scans are recorded with this id. */
  int scansWithId(String scanId) {
    return query("SELECT count(*) FROM door_scans WHERE id = ?::uuid", scanId, rows -> {
      rows.next();
      return rows.getInt(1);
    });
  }

  record TicketRow(String status, Instant checkedInAt) {
  }

  private interface Rows<T> {
    T read(ResultSet rows) throws SQLException;
  }

  private <T> T query(String sql, String parameter, Rows<T> read) {
    Config.Database database = api.app().config().database();
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(),
        database.password());
         PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet rows = statement.executeQuery()) {
        return read.read(rows);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
