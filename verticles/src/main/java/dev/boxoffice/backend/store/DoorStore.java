package dev.boxoffice.backend.store;

import static dev.boxoffice.backend.store.CatalogRows.EVENT_COLUMNS;

import dev.boxoffice.backend.auth.DoorScope;
import dev.boxoffice.backend.model.CheckInConflict;
import dev.boxoffice.backend.model.CheckInConflicts;
import dev.boxoffice.backend.model.Cursor;
import dev.boxoffice.backend.model.DoorTicketList;
import dev.boxoffice.backend.model.Event;
import dev.boxoffice.backend.model.EventDetail;
import dev.boxoffice.backend.model.Page;
import dev.boxoffice.backend.model.PageRequest;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.Ticket;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** What doors read: the events they check in at, an event's tickets that no longer admit, and the conflicts. */
public final class DoorStore {

  private static final String EVENT = "SELECT " + EVENT_COLUMNS + " FROM events e WHERE e.id = $1";
  private static final String DOOR_EVENTS = "SELECT " + EVENT_COLUMNS + " FROM events e"
      + " WHERE (e.organizer_email = ANY($1) OR e.id = ANY($6)) AND e.status = 'published' AND e.ends_at > $2"
      + " AND ($3::timestamptz IS NULL OR (e.starts_at, e.id) > ($3, $4)) ORDER BY e.starts_at, e.id LIMIT $5";
  static final String NOT_ADMITTING = "SELECT id, status FROM tickets"
      + " WHERE event_id = $1 AND status <> 'valid' AND ($2::uuid IS NULL OR id > $2) ORDER BY id LIMIT $3";
  static final String CONFLICT_COUNT =
      "SELECT count(*) AS conflicts FROM door_scans WHERE event_id = $1 AND outcome <> 'first'";
  private static final String CONFLICTS = "SELECT s.id, s.ticket_id, s.outcome, s.scanned_at, s.scanned_by, s.door,"
      + " t.name AS ticket_type_name, f.scanned_at AS first_at, f.scanned_by AS first_by, f.door AS first_door"
      + " FROM door_scans s JOIN tickets k ON k.id = s.ticket_id JOIN ticket_types t ON t.id = k.ticket_type_id"
      + " LEFT JOIN door_scans f ON f.ticket_id = s.ticket_id AND f.outcome = 'first'"
      + " WHERE s.event_id = $1 AND s.outcome <> 'first'"
      + " AND ($2::timestamptz IS NULL OR (s.scanned_at, s.id) > ($2, $3)) ORDER BY s.scanned_at, s.id LIMIT $4";

  private final Pool pool;

  public DoorStore(Pool pool) {
    this.pool = pool;
  }

  /** The event in any status, drafts included: its organizer may try a door out before publishing. */
  public Future<Event> event(UUID eventId) {
    return pool.preparedQuery(EVENT).execute(Tuple.of(eventId)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(new Refusal.NotFound("No event " + eventId))
        : Future.succeededFuture(CatalogRows.event(rows.iterator().next())));
  }

  /** The event with its ticket types. */
  public Future<EventDetail> eventWithTypes(UUID eventId) {
    return event(eventId).compose(event -> pool.preparedQuery(CatalogStore.TICKET_TYPES_OF_EVENT)
        .execute(Tuple.of(eventId))
        .map(types -> new EventDetail(event, CatalogRows.ticketTypes(types))));
  }

  /** Published events in the door's scope that end after {@code endedAfter}, by start time. */
  public Future<Page<Event>> doorEvents(DoorScope scope, Instant endedAfter, PageRequest page) {
    Tuple values = Tuple.tuple()
        .addValue(scope.organizers().toArray(String[]::new))
        .addValue(endedAfter.atOffset(ZoneOffset.UTC))
        .addValue(page.after().map(cursor -> cursor.at().atOffset(ZoneOffset.UTC)).orElse(null))
        .addValue(page.after().map(Cursor::id).orElse(null))
        .addValue(page.limit() + 1)
        .addValue(scope.events().toArray(UUID[]::new));
    return pool.preparedQuery(DOOR_EVENTS).execute(values).map(rows -> {
      List<Row> firstRows = Pages.firstRows(rows, page.limit());
      return new Page<>(firstRows.stream().map(CatalogRows::event).toList(),
          Pages.next(rows, firstRows, page.limit(), "starts_at"));
    });
  }

  /** At most {@code limit} of the event's cancelled and used tickets, by id, after {@code after}. */
  public Future<DoorTicketList> ticketsNotAdmitting(UUID eventId, Optional<UUID> after, int limit) {
    Instant asOf = Instant.now();
    Tuple values = Tuple.of(eventId, after.orElse(null), limit + 1);
    return pool.preparedQuery(NOT_ADMITTING).execute(values).map(rows -> {
      List<UUID> cancelled = new ArrayList<>();
      List<UUID> checkedIn = new ArrayList<>();
      List<Row> page = Pages.firstRows(rows, limit);
      page.forEach(row -> (Ticket.Status.of(row.getString("status")) == Ticket.Status.CANCELLED ? cancelled : checkedIn)
          .add(row.getUUID("id")));
      Optional<UUID> next = rows.size() > limit ? Optional.of(page.get(page.size() - 1).getUUID("id"))
          : Optional.empty();
      return new DoorTicketList(cancelled, checkedIn, next, asOf);
    });
  }

  /** The event's conflicts in scan order, one page of them, and how many there are. */
  public Future<CheckInConflicts> conflicts(UUID eventId, PageRequest page) {
    Tuple values = Tuple.of(eventId)
        .addValue(page.after().map(cursor -> cursor.at().atOffset(ZoneOffset.UTC)).orElse(null))
        .addValue(page.after().map(Cursor::id).orElse(null))
        .addValue(page.limit() + 1);
    Future<Long> count = pool.preparedQuery(CONFLICT_COUNT).execute(Tuple.of(eventId))
        .map(rows -> rows.iterator().next().getLong("conflicts"));
    Future<Page<CheckInConflict>> conflicts = pool.preparedQuery(CONFLICTS).execute(values).map(rows -> {
      List<Row> firstRows = Pages.firstRows(rows, page.limit());
      return new Page<>(firstRows.stream().map(DoorStore::conflict).toList(),
          Pages.next(rows, firstRows, page.limit(), "scanned_at"));
    });
    return Future.all(count, conflicts).map(both -> new CheckInConflicts(count.result(), conflicts.result()));
  }

  private static CheckInConflict conflict(Row row) {
    OffsetDateTime firstAt = row.getOffsetDateTime("first_at");
    Optional<CheckInConflict.Scan> first = firstAt == null ? Optional.empty()
        : Optional.of(new CheckInConflict.Scan(firstAt.toInstant(), row.getString("first_by"),
            Optional.ofNullable(row.getString("first_door"))));
    return new CheckInConflict(row.getUUID("id"), row.getUUID("ticket_id"), row.getString("ticket_type_name"),
        CheckInConflict.Kind.valueOf(row.getString("outcome").toUpperCase(Locale.ROOT)),
        new CheckInConflict.Scan(row.getOffsetDateTime("scanned_at").toInstant(), row.getString("scanned_by"),
            Optional.ofNullable(row.getString("door"))),
        first);
  }
}
