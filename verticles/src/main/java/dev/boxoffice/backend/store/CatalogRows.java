package dev.boxoffice.backend.store;

import dev.boxoffice.backend.model.Event;
import dev.boxoffice.backend.model.TicketType;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;

/** Event and ticket type rows as the model's records; the columns every query of them selects. */
final class CatalogRows {

  static final String EVENT_COLUMNS = "e.id, e.organizer_email, e.title, e.description, e.category, e.venue, e.city,"
      + " e.starts_at, e.ends_at, e.time_zone, e.image_key, e.status, e.hold_minutes, e.max_tickets_per_buyer";
  static final String TICKET_TYPE_COLUMNS = "t.id, t.event_id, t.name, t.price_minor, t.currency, t.capacity, t.sold, t.held,"
      + " t.sales_start, t.sales_end, t.max_per_order, t.sales_closed";

  private CatalogRows() {
  }

  static Event event(Row row) {
    return new Event(row.getUUID("id"), row.getString("organizer_email"), row.getString("title"),
        row.getString("description"), row.getString("category"), row.getString("venue"), row.getString("city"),
        row.getOffsetDateTime("starts_at").toInstant(), row.getOffsetDateTime("ends_at").toInstant(),
        row.getString("time_zone"), Event.Status.of(row.getString("status")), row.getString("image_key"),
        row.getInteger("hold_minutes"), row.getInteger("max_tickets_per_buyer"));
  }

  static TicketType ticketType(Row row) {
    return new TicketType(row.getUUID("id"), row.getUUID("event_id"), row.getString("name"),
        row.getLong("price_minor"), row.getString("currency"), row.getInteger("capacity"), row.getInteger("sold"),
        row.getInteger("held"), row.getOffsetDateTime("sales_start").toInstant(), row.getOffsetDateTime("sales_end").toInstant(),
        row.getInteger("max_per_order"), row.getBoolean("sales_closed"));
  }

  static List<TicketType> ticketTypes(Iterable<Row> rows) {
    List<TicketType> types = new ArrayList<>();
    rows.forEach(row -> types.add(ticketType(row)));
    return types;
  }
}
