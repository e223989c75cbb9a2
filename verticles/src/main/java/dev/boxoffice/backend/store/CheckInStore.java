package dev.boxoffice.backend.store;

import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.Ticket;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Tickets as the door sees them, and the one statement that lets a ticket in once and records that scan (its row in
 * {@code door_scans}, where offline scans join it when their doors sync).
 */
public final class CheckInStore {

  private static final String TICKET = "SELECT k.event_id, k.ticket_type_id, k.status, k.checked_in_at,"
      + " t.name AS ticket_type_name, e.organizer_email"
      + " FROM tickets k JOIN ticket_types t ON t.id = k.ticket_type_id JOIN events e ON e.id = k.event_id"
      + " WHERE k.id = $1";
  private static final String CHECK_IN = "WITH admitted AS ("
      + "UPDATE tickets SET status = 'checked_in', checked_in_at = now()"
      + " WHERE id = $1 AND status = 'valid' AND checked_in_at IS NULL RETURNING id, event_id, checked_in_at)"
      + " INSERT INTO door_scans (id, ticket_id, event_id, scanned_at, scanned_by, door, offline, outcome)"
      + " SELECT $2, id, event_id, checked_in_at, $3, $4, false, 'first' FROM admitted RETURNING scanned_at";
  private static final String FIRST_SCAN = "SELECT checked_in_at FROM tickets WHERE id = $1";
  private static final String SAME_SCAN = "SELECT scanned_at FROM door_scans WHERE id = $1 AND ticket_id = $2";
  private static final String UNIQUE_VIOLATION = "23505";

  /** A ticket with what the door checks: whose event it is, and whether it may still enter. */
  public record TicketAtDoor(UUID eventId, UUID ticketTypeId, Ticket.Status status, String ticketTypeName,
                             String organizerEmail) {
  }

  /** A door's scan: its id (the door's own, or one made for it), who scanned, and the door's name if it has one. */
  public record Scan(UUID id, UUID ticketId, String scannedBy, Optional<String> door) {
  }

  /** What a scan of a ticket that does not exist answers, and a scan of another organizer's ticket likewise. */
  public static final String NO_SUCH_TICKET = "No such ticket among the events you check in for";

  private final Pool pool;

  public CheckInStore(Pool pool) {
    this.pool = pool;
  }

  public Future<TicketAtDoor> ticket(UUID ticketId) {
    return pool.preparedQuery(TICKET).execute(Tuple.of(ticketId)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(new Refusal.NotFound(NO_SUCH_TICKET));
      }
      Row row = rows.iterator().next();
      return Future.succeededFuture(new TicketAtDoor(row.getUUID("event_id"), row.getUUID("ticket_type_id"),
          Ticket.Status.of(row.getString("status")), row.getString("ticket_type_name"),
          row.getString("organizer_email")));
    });
  }

  /**
   * Marks a valid ticket used and records the scan: of any number of simultaneous scans exactly one gets the time it
   * was let in; the others, and scans of a ticket that is not valid, get nothing. A scan id already recorded for
   * another ticket is refused with {@link Refusal.ScanIdReused}, and nothing changes.
   */
  public Future<Optional<Instant>> markUsed(Scan scan) {
    Tuple values = Tuple.of(scan.ticketId(), scan.id(), scan.scannedBy(), scan.door().orElse(null));
    return pool.preparedQuery(CHECK_IN).execute(values)
        .<Optional<Instant>>map(inserted -> inserted.size() == 1
            ? Optional.of(inserted.iterator().next().getOffsetDateTime("scanned_at").toInstant())
            : Optional.empty())
        .recover(failure -> failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState())
            ? Future.failedFuture(new Refusal.ScanIdReused())
            : Future.failedFuture(failure));
  }

  /** When the ticket was let in, if it was. */
  public Future<Optional<Instant>> firstScan(UUID ticketId) {
    return pool.preparedQuery(FIRST_SCAN).execute(Tuple.of(ticketId))
        .map(rows -> Optional.ofNullable(OrderRows.instant(rows.iterator().next().getOffsetDateTime("checked_in_at"))));
  }

  /** When this very scan let its ticket in, if it did: a door sending a scan again after losing the answer. */
  public Future<Optional<Instant>> recordedScan(Scan scan) {
    return pool.preparedQuery(SAME_SCAN).execute(Tuple.of(scan.id(), scan.ticketId())).map(rows -> rows.size() == 0
        ? Optional.empty()
        : Optional.of(rows.iterator().next().getOffsetDateTime("scanned_at").toInstant()));
  }
}
