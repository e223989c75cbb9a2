package dev.boxoffice.backend.store;

import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;

/** A ticket type as its purchase batch locked it: what it sells, what remains, and whether it is on sale. */
record TicketTypeState(UUID ticketTypeId, UUID eventId, long priceMinor, String currency, int remaining,
                       Instant salesStart, Instant salesEnd, int maxPerOrder, boolean salesClosed, String eventStatus,
                       Instant startsAt, Instant endsAt) {

  static TicketTypeState of(UUID ticketTypeId, Row row) {
    return new TicketTypeState(ticketTypeId, row.getUUID("event_id"), row.getLong("price_minor"),
        row.getString("currency"), row.getInteger("capacity") - row.getInteger("sold"),
        row.getOffsetDateTime("sales_start").toInstant(), row.getOffsetDateTime("sales_end").toInstant(),
        row.getInteger("max_per_order"), row.getBoolean("sales_closed"), row.getString("event_status"),
        row.getOffsetDateTime("starts_at").toInstant(), row.getOffsetDateTime("ends_at").toInstant());
  }

  boolean onSale(Instant now) {
    return "published".equals(eventStatus) && !salesClosed && !now.isBefore(salesStart) && now.isBefore(salesEnd);
  }
}
