package dev.boxoffice.backend.catalog;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.OffsetDateTime;

/** The JSON form of event and ticket type rows, as the API answers them. */
final class CatalogRows {

  static final String EVENT_COLUMNS = "e.id, e.organizer_email, e.title, e.description, e.category, e.venue, e.city,"
      + " e.starts_at, e.ends_at, e.time_zone, e.image_key, e.status";
  static final String TICKET_TYPE_COLUMNS = "t.id, t.event_id, t.name, t.price_minor, t.currency, t.capacity, t.sold,"
      + " t.sales_start, t.sales_end, t.max_per_order, t.sales_closed";

  private CatalogRows() {
  }

  static JsonObject event(Row row) {
    JsonObject json = new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("organizerEmail", row.getString("organizer_email"))
        .put("title", row.getString("title"))
        .put("description", row.getString("description"))
        .put("category", row.getString("category"))
        .put("venue", row.getString("venue"))
        .put("city", row.getString("city"))
        .put("startsAt", instant(row.getOffsetDateTime("starts_at")))
        .put("endsAt", instant(row.getOffsetDateTime("ends_at")))
        .put("timeZone", row.getString("time_zone"))
        .put("status", row.getString("status"));
    String imageKey = row.getString("image_key");
    if (imageKey != null) {
      json.put("imageKey", imageKey);
    }
    return json;
  }

  static JsonObject eventWithTicketTypes(Row event, Iterable<Row> ticketTypes) {
    JsonArray types = new JsonArray();
    ticketTypes.forEach(row -> types.add(ticketType(row)));
    return event(event).put("ticketTypes", types);
  }

  static JsonObject ticketType(Row row) {
    int capacity = row.getInteger("capacity");
    int sold = row.getInteger("sold");
    return new JsonObject()
        .put("id", row.getUUID("id").toString())
        .put("eventId", row.getUUID("event_id").toString())
        .put("name", row.getString("name"))
        .put("priceMinor", row.getLong("price_minor"))
        .put("currency", row.getString("currency"))
        .put("capacity", capacity)
        .put("sold", sold)
        .put("remaining", capacity - sold)
        .put("salesStart", instant(row.getOffsetDateTime("sales_start")))
        .put("salesEnd", instant(row.getOffsetDateTime("sales_end")))
        .put("maxPerOrder", row.getInteger("max_per_order"))
        .put("salesClosed", row.getBoolean("sales_closed"));
  }

  static String instant(OffsetDateTime time) {
    return time.toInstant().toString();
  }
}
