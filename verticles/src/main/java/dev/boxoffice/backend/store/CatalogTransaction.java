package dev.boxoffice.backend.store;

import static dev.boxoffice.backend.store.CatalogRows.EVENT_COLUMNS;
import static dev.boxoffice.backend.store.CatalogRows.TICKET_TYPE_COLUMNS;

import dev.boxoffice.backend.model.Event;
import dev.boxoffice.backend.model.EventChanges;
import dev.boxoffice.backend.model.EventDetail;
import dev.boxoffice.backend.model.NewTicketType;
import dev.boxoffice.backend.model.Refund;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.TicketType;
import dev.boxoffice.backend.outbox.Outbox;
import dev.boxoffice.codecs.events.DomainEvent;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The catalog's writes inside one transaction, each step a statement or two, with the outbox appends that go with
 * them. Lock order, the one purchase batches follow too, so that the two never deadlock: an event's ticket type rows
 * before the event's row ({@link #lockOwnEventAndTicketTypes}); a step that names no lock takes none beyond its rows.
 */
public final class CatalogTransaction {

  private static final String LOCK_OWN_EVENT = "SELECT " + EVENT_COLUMNS
      + " FROM events e WHERE e.id = $1 AND e.organizer_email = $2 FOR UPDATE";
  private static final String LOCK_TICKET_TYPES_OF_OWN_EVENT = "SELECT t.id FROM ticket_types t"
      + " JOIN events e ON e.id = t.event_id WHERE t.event_id = $1 AND e.organizer_email = $2 ORDER BY t.id"
      + " FOR UPDATE OF t";
  private static final String UPDATE_EVENT = "UPDATE events SET title = COALESCE($2, title),"
      + " description = COALESCE($3, description), category = COALESCE($4, category), venue = COALESCE($5, venue),"
      + " city = COALESCE($6, city), starts_at = COALESCE($7, starts_at), ends_at = COALESCE($8, ends_at),"
      + " time_zone = COALESCE($9, time_zone), image_key = COALESCE($10, image_key),"
      + " hold_minutes = COALESCE($11, hold_minutes),"
      + " max_tickets_per_buyer = CASE WHEN $13 THEN NULL ELSE COALESCE($12, max_tickets_per_buyer) END,"
      + " updated_at = now()"
      + " WHERE id = $1 RETURNING " + EVENT_COLUMNS.replace("e.", "");
  private static final String SET_EVENT_STATUS = "UPDATE events SET status = $2, updated_at = now() WHERE id = $1"
      + " RETURNING " + EVENT_COLUMNS.replace("e.", "");
  private static final String CANCEL_ORDERS_OF_EVENT = "UPDATE orders SET status = 'cancelled', cancelled_at = now()"
      + " WHERE event_id = $1 AND status = 'placed' RETURNING id, ticket_type_id, buyer_email";
  private static final String CANCEL_TICKETS_OF_EVENT = "UPDATE tickets SET status = 'cancelled'"
      + " WHERE event_id = $1 AND status <> 'cancelled' RETURNING id, order_id";
  // Active holds end with their event; an open checkout is left to reconciliation, which ends it at the provider.
  private static final String CANCEL_HOLDS_OF_EVENT = "UPDATE holds SET status = 'cancelled', released_at = now(),"
      + " payment_check_at = CASE WHEN payment_status = 'open' THEN now() ELSE payment_check_at END"
      + " WHERE ticket_type_id IN (SELECT id FROM ticket_types WHERE event_id = $1) AND status = 'active'";
  private static final String NOTHING_SOLD = "UPDATE ticket_types SET sold = 0, held = 0 WHERE event_id = $1";
  private static final String INSERT_TICKET_TYPE = "INSERT INTO ticket_types (id, event_id, name, price_minor,"
      + " currency, capacity, sales_start, sales_end, max_per_order) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
      + " RETURNING " + TICKET_TYPE_COLUMNS.replace("t.", "");
  private static final String LOCK_OWN_TICKET_TYPE = "SELECT " + TICKET_TYPE_COLUMNS + ", e.status AS event_status"
      + " FROM ticket_types t JOIN events e ON e.id = t.event_id WHERE t.id = $1 AND e.organizer_email = $2"
      + " FOR UPDATE OF t";
  private static final String UPDATE_TICKET_TYPE = "UPDATE ticket_types SET capacity = $2, sales_closed = $3"
      + " WHERE id = $1 RETURNING " + TICKET_TYPE_COLUMNS.replace("t.", "");

  private final SqlConnection conn;

  CatalogTransaction(SqlConnection conn) {
    this.conn = conn;
  }

  /** The event of {@code organizerEmail}, locked for update; another organizer's event is not found. */
  public Future<Event> lockOwnEvent(UUID eventId, String organizerEmail) {
    return conn.preparedQuery(LOCK_OWN_EVENT).execute(Tuple.of(eventId, organizerEmail))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new Refusal.NotFound("No event " + eventId + " of yours"))
            : Future.succeededFuture(CatalogRows.event(rows.iterator().next())));
  }

  /** As {@link #lockOwnEvent}, its ticket types locked first, in the order purchase batches lock them. */
  public Future<Event> lockOwnEventAndTicketTypes(UUID eventId, String organizerEmail) {
    return conn.preparedQuery(LOCK_TICKET_TYPES_OF_OWN_EVENT).execute(Tuple.of(eventId, organizerEmail))
        .compose(lockedTypes -> lockOwnEvent(eventId, organizerEmail));
  }

  /** Applies the non-null fields; refused when the event would end before it starts. */
  public Future<Event> update(UUID eventId, EventChanges changes) {
    Tuple values = Tuple.of(eventId, changes.title(), changes.description(), changes.category(), changes.venue(),
            changes.city())
        .addValue(utc(changes.startsAt()))
        .addValue(utc(changes.endsAt()))
        .addValue(changes.timeZone())
        .addValue(changes.imageKey())
        .addValue(changes.holdMinutes())
        .addValue(changes.maxTicketsPerBuyer())
        .addValue(changes.removesBuyerLimit());
    return conn.preparedQuery(UPDATE_EVENT).execute(values)
        .recover(CatalogTransaction::endsBeforeStart)
        .map(rows -> CatalogRows.event(rows.iterator().next()));
  }

  public Future<Event> setStatus(UUID eventId, Event.Status status) {
    return conn.preparedQuery(SET_EVENT_STATUS).execute(Tuple.of(eventId, status.text()))
        .map(rows -> CatalogRows.event(rows.iterator().next()));
  }

  public Future<EventDetail> withTicketTypes(Event event) {
    return conn.preparedQuery(CatalogStore.TICKET_TYPES_OF_EVENT).execute(Tuple.of(event.id()))
        .map(types -> new EventDetail(event, CatalogRows.ticketTypes(types)));
  }

  /**
   * Cancels the event's placed orders, voids their tickets, ends its active holds and sets nothing sold or held,
   * under the event's locks; paid orders get their refunds, sent to the provider after the commit.
   */
  public Future<List<CancelledOrder>> cancelOrdersOf(UUID eventId) {
    Tuple event = Tuple.of(eventId);
    return conn.preparedQuery(CANCEL_ORDERS_OF_EVENT).execute(event)
        .compose(orders -> conn.preparedQuery(CANCEL_TICKETS_OF_EVENT).execute(event)
            .map(tickets -> cancelledOrders(eventId, orders, tickets)))
        .compose(cancelled -> RefundStore.refundPaidOrders(conn, cancelled, Refund.Reason.EVENT_CANCELLED)
            .compose(refunded -> conn.preparedQuery(CANCEL_HOLDS_OF_EVENT).execute(event))
            .compose(released -> conn.preparedQuery(NOTHING_SOLD).execute(event))
            .map(cancelled));
  }

  /** Appends {@code events} to the outbox in list order, committed with the rest of the transaction. */
  public Future<Void> append(List<? extends DomainEvent> events) {
    return Outbox.appendAll(conn, events);
  }

  public Future<TicketType> insertTicketType(UUID eventId, NewTicketType type) {
    Tuple values = Tuple.of(UUID.randomUUID(), eventId, type.name(), type.priceMinor(), type.currency(),
            type.capacity())
        .addValue(utc(type.salesStart()))
        .addValue(utc(type.salesEnd()))
        .addValue(type.maxPerOrder());
    return conn.preparedQuery(INSERT_TICKET_TYPE).execute(values)
        .map(rows -> CatalogRows.ticketType(rows.iterator().next()));
  }

  /** The ticket type of an event of {@code organizerEmail}, locked for update; any other is not found. */
  public Future<TicketType> lockOwnTicketType(UUID ticketTypeId, String organizerEmail) {
    return conn.preparedQuery(LOCK_OWN_TICKET_TYPE).execute(Tuple.of(ticketTypeId, organizerEmail))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new Refusal.NotFound("No ticket type " + ticketTypeId + " of yours"))
            : Future.succeededFuture(CatalogRows.ticketType(rows.iterator().next())));
  }

  public Future<TicketType> updateTicketType(UUID ticketTypeId, int capacity, boolean salesClosed) {
    return conn.preparedQuery(UPDATE_TICKET_TYPE).execute(Tuple.of(ticketTypeId, capacity, salesClosed))
        .map(rows -> CatalogRows.ticketType(rows.iterator().next()));
  }

  private static List<CancelledOrder> cancelledOrders(UUID eventId, RowSet<Row> orders, RowSet<Row> tickets) {
    Map<UUID, List<UUID>> ticketsByOrder = new HashMap<>();
    tickets.forEach(row -> ticketsByOrder.computeIfAbsent(row.getUUID("order_id"), id -> new ArrayList<>())
        .add(row.getUUID("id")));
    List<CancelledOrder> cancelled = new ArrayList<>();
    for (Row order : orders) {
      cancelled.add(new CancelledOrder(order.getUUID("id"), eventId, order.getUUID("ticket_type_id"),
          order.getString("buyer_email"), ticketsByOrder.getOrDefault(order.getUUID("id"), List.of())));
    }
    return cancelled;
  }

  /** PostgreSQL's CHECK on the event's times, for a change of only one of them. */
  private static <T> Future<T> endsBeforeStart(Throwable failure) {
    if (failure instanceof PgException pg && "23514".equals(pg.getSqlState())
        && "events_ends_after_start".equals(pg.getConstraint())) {
      return Future.failedFuture(new Refusal.EndsBeforeStart());
    }
    return Future.failedFuture(failure);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }
}
