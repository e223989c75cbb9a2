package dev.boxoffice.backend.store;

import static dev.boxoffice.backend.store.CatalogRows.EVENT_COLUMNS;
import static dev.boxoffice.backend.store.CatalogRows.TICKET_TYPE_COLUMNS;

import dev.boxoffice.backend.model.Event;
import dev.boxoffice.backend.model.EventDetail;
import dev.boxoffice.backend.model.EventFilter;
import dev.boxoffice.backend.model.EventSummary;
import dev.boxoffice.backend.model.NewEvent;
import dev.boxoffice.backend.model.Page;
import dev.boxoffice.backend.model.PageRequest;
import dev.boxoffice.backend.model.Refusal;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Events and ticket types: the reads outside transactions here, the writes in a {@link CatalogTransaction}, which
 * also holds the catalog's lock order.
 */
public final class CatalogStore {

  private static final String INSERT_EVENT = "INSERT INTO events (id, organizer_email, title, description, category,"
      + " venue, city, starts_at, ends_at, time_zone, image_key, hold_minutes, max_tickets_per_buyer)"
      + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
      + " RETURNING " + EVENT_COLUMNS.replace("e.", "");
  private static final String PUBLIC_EVENT = "SELECT " + EVENT_COLUMNS
      + " FROM events e WHERE e.id = $1 AND e.status IN ('published', 'cancelled')";
  static final String TICKET_TYPES_OF_EVENT = "SELECT " + TICKET_TYPE_COLUMNS
      + " FROM ticket_types t WHERE t.event_id = $1 ORDER BY t.created_at, t.id";
  private static final String MY_EVENTS = "SELECT " + EVENT_COLUMNS + " FROM events e WHERE e.organizer_email = $1"
      + " AND ($2::timestamptz IS NULL OR (e.starts_at, e.id) > ($2, $3)) ORDER BY e.starts_at, e.id LIMIT $4";
  private static final String OWN_EVENT = "SELECT e.id FROM events e WHERE e.id = $1 AND e.organizer_email = $2";
  // Paid tickets are those of placed orders that came from a paid hold (same id); money received counts every paid
  // hold, also a late payment that was refunded without becoming an order.
  private static final String SUMMARY = "SELECT t.id, t.name, t.capacity, t.sold, t.held, t.currency,"
      + " (SELECT count(*) FROM tickets k WHERE k.ticket_type_id = t.id AND k.checked_in_at IS NOT NULL)"
      + " AS checked_in,"
      + " (SELECT COALESCE(sum(o.quantity), 0) FROM orders o JOIN holds h ON h.id = o.id"
      + " WHERE o.ticket_type_id = t.id AND o.status = 'placed') AS paid,"
      + " (SELECT COALESCE(sum(h.paid_minor), 0) FROM orders o JOIN holds h ON h.id = o.id"
      + " WHERE o.ticket_type_id = t.id) + (SELECT COALESCE(sum(r.amount_minor), 0) FROM refunds r"
      + " WHERE r.event_id = $1 AND r.ticket_type_id = t.id AND r.order_id IS NULL) AS paid_minor,"
      + " COALESCE(r.refunded, 0) AS refunded, COALESCE(r.refunded_minor, 0) AS refunded_minor,"
      + " COALESCE(r.pending, 0) AS refunds_pending"
      + " FROM ticket_types t LEFT JOIN (SELECT ticket_type_id,"
      + " sum(tickets) FILTER (WHERE status = 'succeeded') AS refunded,"
      + " sum(amount_minor) FILTER (WHERE status = 'succeeded') AS refunded_minor,"
      + " count(*) FILTER (WHERE status = 'pending') AS pending"
      + " FROM refunds WHERE event_id = $1 GROUP BY ticket_type_id) r ON r.ticket_type_id = t.id"
      + " WHERE t.event_id = $1 ORDER BY t.created_at, t.id";

  private final Pool pool;

  public CatalogStore(Pool pool) {
    this.pool = pool;
  }

  /** Runs {@code work} in one transaction: it commits when the future succeeds and rolls back when it fails. */
  public <T> Future<T> inTransaction(Function<CatalogTransaction, Future<T>> work) {
    return pool.withTransaction(conn -> work.apply(new CatalogTransaction(conn)));
  }

  /** A new draft of {@code organizerEmail}. */
  public Future<Event> insertEvent(String organizerEmail, NewEvent event) {
    Tuple values = Tuple.of(UUID.randomUUID(), organizerEmail, event.title(), event.description(), event.category(),
            event.venue())
        .addValue(event.city())
        .addValue(event.startsAt().atOffset(ZoneOffset.UTC))
        .addValue(event.endsAt().atOffset(ZoneOffset.UTC))
        .addValue(event.timeZone())
        .addValue(event.imageKey())
        .addValue(event.holdMinutes())
        .addValue(event.maxTicketsPerBuyer());
    return pool.preparedQuery(INSERT_EVENT).execute(values).map(rows -> CatalogRows.event(rows.iterator().next()));
  }

  /** A published or cancelled event with its ticket types; drafts are as unknown as missing events. */
  public Future<EventDetail> publicEvent(UUID eventId) {
    return pool.preparedQuery(PUBLIC_EVENT).execute(Tuple.of(eventId)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(new Refusal.NotFound("No published event " + eventId))
        : pool.preparedQuery(TICKET_TYPES_OF_EVENT).execute(Tuple.of(eventId))
            .map(types -> new EventDetail(CatalogRows.event(rows.iterator().next()), CatalogRows.ticketTypes(types))));
  }

  /** Published events by start, then id. */
  public Future<Page<Event>> publishedEvents(EventFilter filter, PageRequest page) {
    EventListQuery query = EventListQuery.of(filter, page);
    return pool.preparedQuery(query.sql()).execute(query.parameters()).map(rows -> eventPage(rows, page.limit()));
  }

  /** Every event of {@code organizerEmail}, drafts included, by start, then id. */
  public Future<Page<Event>> eventsOf(String organizerEmail, PageRequest page) {
    return pool.preparedQuery(MY_EVENTS).execute(Pages.ownerPage(organizerEmail, page))
        .map(rows -> eventPage(rows, page.limit()));
  }

  public Future<EventSummary> summary(UUID eventId, String organizerEmail) {
    return pool.preparedQuery(OWN_EVENT).execute(Tuple.of(eventId, organizerEmail)).compose(own -> own.size() == 0
        ? Future.failedFuture(new Refusal.NotFound("No event " + eventId + " of yours"))
        : pool.preparedQuery(SUMMARY).execute(Tuple.of(eventId)).map(rows -> summary(eventId, rows)));
  }

  private static Page<Event> eventPage(RowSet<Row> rows, int limit) {
    List<Row> page = Pages.firstRows(rows, limit);
    return new Page<>(page.stream().map(CatalogRows::event).toList(), Pages.next(rows, page, limit, "starts_at"));
  }

  private static EventSummary summary(UUID eventId, RowSet<Row> rows) {
    List<EventSummary.TicketTypeSales> types = new ArrayList<>();
    for (Row row : rows) {
      types.add(new EventSummary.TicketTypeSales(row.getUUID("id"), row.getString("name"), row.getInteger("capacity"),
          row.getInteger("sold"), row.getInteger("held"), row.getLong("paid"), row.getLong("refunded"),
          row.getLong("checked_in"), row.getLong("paid_minor"), row.getLong("refunded_minor"),
          row.getLong("refunds_pending"), row.getString("currency")));
    }
    return new EventSummary(eventId, types);
  }
}
