package dev.boxoffice.backend.store;

import io.vertx.sqlclient.Row;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A ticket type as a transaction locked it (its row for update, its event's for share): what it sells, what
 * remains, whether it is on sale, how long its event's holds last and how many tickets of the event one buyer may
 * have (null: no limit), and whether its event has a waiting room (then every sale needs an admission to it).
 */
record TicketTypeState(UUID ticketTypeId, UUID eventId, long priceMinor, String currency, int capacity, int sold,
                       int held, Instant salesStart, Instant salesEnd, int maxPerOrder, boolean salesClosed,
                       String eventStatus, Duration holdDuration, Integer maxTicketsPerBuyer, boolean queued) {

  /** The lock every sale takes: the ticket type row first, then its event's row shared (see CatalogTransaction). */
  static final String LOCK = "SELECT t.event_id, t.price_minor, t.currency, t.capacity, t.sold, t.held,"
      + " t.sales_start, t.sales_end, t.max_per_order, t.sales_closed, e.status AS event_status, e.hold_minutes,"
      + " e.max_tickets_per_buyer, EXISTS (SELECT 1 FROM waiting_rooms w WHERE w.event_id = t.event_id) AS queued"
      + " FROM ticket_types t JOIN events e ON e.id = t.event_id WHERE t.id = $1 FOR UPDATE OF t FOR SHARE OF e";

  static TicketTypeState of(UUID ticketTypeId, Row row) {
    return new TicketTypeState(ticketTypeId, row.getUUID("event_id"), row.getLong("price_minor"),
        row.getString("currency"), row.getInteger("capacity"), row.getInteger("sold"), row.getInteger("held"),
        row.getOffsetDateTime("sales_start").toInstant(), row.getOffsetDateTime("sales_end").toInstant(),
        row.getInteger("max_per_order"), row.getBoolean("sales_closed"), row.getString("event_status"),
        Duration.ofMinutes(row.getInteger("hold_minutes")), row.getInteger("max_tickets_per_buyer"),
        row.getBoolean("queued"));
  }

  /** What is neither sold nor held, once {@code released} tickets of expired holds are given back. */
  int remaining(int released) {
    return capacity - sold - held + released;
  }

  /** What a buyer who has {@code taken} of the event's tickets may still take; MAX_VALUE without a limit. */
  int allowance(int taken) {
    return maxTicketsPerBuyer == null ? Integer.MAX_VALUE : Math.max(0, maxTicketsPerBuyer - taken);
  }

  boolean free() {
    return priceMinor == 0;
  }

  boolean onSale(Instant now) {
    return "published".equals(eventStatus) && !salesClosed && !now.isBefore(salesStart) && now.isBefore(salesEnd);
  }

  boolean eventCancelled() {
    return "cancelled".equals(eventStatus);
  }
}
