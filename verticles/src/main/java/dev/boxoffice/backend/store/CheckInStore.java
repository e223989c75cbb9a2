package dev.boxoffice.backend.store;

import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.Ticket;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Tickets as the door sees them, and the one conditional UPDATE that lets a ticket in once. */
public final class CheckInStore {

  private static final String TICKET = "SELECT k.event_id, k.ticket_type_id, k.status, k.checked_in_at,"
      + " t.name AS ticket_type_name, e.organizer_email"
      + " FROM tickets k JOIN ticket_types t ON t.id = k.ticket_type_id JOIN events e ON e.id = k.event_id"
      + " WHERE k.id = $1";
  private static final String CHECK_IN = "UPDATE tickets SET status = 'checked_in', checked_in_at = now()"
      + " WHERE id = $1 AND status = 'valid' AND checked_in_at IS NULL RETURNING checked_in_at";
  private static final String FIRST_SCAN = "SELECT checked_in_at FROM tickets WHERE id = $1";

  /** A ticket with what the door checks: whose event it is, and whether it may still enter. */
  public record TicketAtDoor(UUID eventId, UUID ticketTypeId, Ticket.Status status, String ticketTypeName,
                             String organizerEmail) {
  }

  private final Pool pool;

  public CheckInStore(Pool pool) {
    this.pool = pool;
  }

  public Future<TicketAtDoor> ticket(UUID ticketId) {
    return pool.preparedQuery(TICKET).execute(Tuple.of(ticketId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(new Refusal.NotFound("No ticket " + ticketId));
      }
      Row row = rows.iterator().next();
      return Future.succeededFuture(new TicketAtDoor(row.getUUID("event_id"), row.getUUID("ticket_type_id"),
          Ticket.Status.of(row.getString("status")), row.getString("ticket_type_name"),
          row.getString("organizer_email")));
    });
  }

  /**
   * Marks a valid ticket used: of any number of simultaneous scans exactly one gets the time it was let in; the
   * others, and scans of a ticket that is not valid, get nothing.
   */
  public Future<Optional<Instant>> markUsed(UUID ticketId) {
    return pool.preparedQuery(CHECK_IN).execute(Tuple.of(ticketId)).map(updated -> updated.size() == 1
        ? Optional.of(updated.iterator().next().getOffsetDateTime("checked_in_at").toInstant())
        : Optional.empty());
  }

  /** When the ticket was let in, if it was. */
  public Future<Optional<Instant>> firstScan(UUID ticketId) {
    return pool.preparedQuery(FIRST_SCAN).execute(Tuple.of(ticketId))
        .map(rows -> Optional.ofNullable(OrderRows.instant(rows.iterator().next().getOffsetDateTime("checked_in_at"))));
  }
}
