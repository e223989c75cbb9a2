package dev.boxoffice.backend.store;

import dev.boxoffice.backend.model.Attendee;
import dev.boxoffice.backend.model.AttendeeFilter;
import dev.boxoffice.backend.model.CheckInCounts;
import dev.boxoffice.backend.model.Cursor;
import dev.boxoffice.backend.model.Page;
import dev.boxoffice.backend.model.PageRequest;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.Ticket;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** An organizer's view of who holds their event's tickets, and how many are already in. */
public final class AttendeeStore {

  private static final String OWN_EVENT = "SELECT 1 FROM events WHERE id = $1 AND organizer_email = $2";
  static final String ATTENDEES = "SELECT k.id, k.order_id, k.buyer_email, k.ticket_type_id,"
      + " t.name AS ticket_type_name, o.unit_price_minor, o.currency, k.status, k.issued_at, k.checked_in_at"
      + " FROM tickets k JOIN ticket_types t ON t.id = k.ticket_type_id JOIN orders o ON o.id = k.order_id"
      + " WHERE k.event_id = $1"
      + " AND ($2::text IS NULL OR strpos(lower(k.buyer_email), $2) > 0"
      + " OR k.id::text LIKE $3 ESCAPE '\\' OR k.order_id::text LIKE $3 ESCAPE '\\')"
      + " AND ($4::uuid IS NULL OR k.ticket_type_id = $4)"
      + " AND ($5::text IS NULL OR k.status = $5)"
      + " AND ($6::timestamptz IS NULL OR (k.issued_at, k.id) > ($6, $7))"
      + " ORDER BY k.issued_at, k.id LIMIT $8";
  static final String COUNTS = "SELECT count(*) FILTER (WHERE status <> 'cancelled') AS issued,"
      + " count(*) FILTER (WHERE status = 'checked_in') AS checked_in FROM tickets WHERE event_id = $1";

  private final Pool pool;

  public AttendeeStore(Pool pool) {
    this.pool = pool;
  }

  /** Succeeds when the event is {@code organizerEmail}'s; another organizer's event is as unknown as a missing one. */
  public Future<Void> requireOwnEvent(UUID eventId, String organizerEmail) {
    return pool.preparedQuery(OWN_EVENT).execute(Tuple.of(eventId, organizerEmail)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(new Refusal.NotFound("No event " + eventId + " of yours"))
        : Future.succeededFuture());
  }

  /** One page of the event's tickets matching {@code filter}, in purchase order. */
  public Future<Page<Attendee>> attendees(UUID eventId, AttendeeFilter filter, PageRequest page) {
    Optional<String> search = filter.search().map(text -> text.toLowerCase(Locale.ROOT));
    Tuple values = Tuple.tuple()
        .addValue(eventId)
        .addValue(search.orElse(null))
        .addValue(search.map(text -> likeEscaped(text) + "%").orElse(null))
        .addValue(filter.ticketType().orElse(null))
        .addValue(filter.status().map(Ticket.Status::text).orElse(null))
        .addValue(page.after().map(cursor -> cursor.at().atOffset(ZoneOffset.UTC)).orElse(null))
        .addValue(page.after().map(Cursor::id).orElse(null))
        .addValue(page.limit() + 1);
    return pool.preparedQuery(ATTENDEES).execute(values).map(rows -> {
      List<Row> firstRows = Pages.firstRows(rows, page.limit());
      return new Page<>(firstRows.stream().map(AttendeeStore::attendee).toList(),
          Pages.next(rows, firstRows, page.limit(), "issued_at"));
    });
  }

  public Future<CheckInCounts> counts(UUID eventId) {
    return pool.preparedQuery(COUNTS).execute(Tuple.of(eventId)).map(rows -> {
      Row row = rows.iterator().next();
      return new CheckInCounts(row.getLong("issued"), row.getLong("checked_in"));
    });
  }

  private static String likeEscaped(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static Attendee attendee(Row row) {
    OffsetDateTime checkedInAt = row.getOffsetDateTime("checked_in_at");
    return new Attendee(row.getUUID("id"), row.getUUID("order_id"), row.getString("buyer_email"),
        row.getUUID("ticket_type_id"), row.getString("ticket_type_name"), row.getLong("unit_price_minor"),
        row.getString("currency"), Ticket.Status.of(row.getString("status")),
        row.getOffsetDateTime("issued_at").toInstant(),
        Optional.ofNullable(checkedInAt).map(OffsetDateTime::toInstant));
  }
}
