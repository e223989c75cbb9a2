package dev.boxoffice.backend.sales;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The JSON form of orders and tickets, the same whether built from a fresh purchase or read back from rows. */
final class OrderJson {

  static final String ORDER_COLUMNS = "o.id, o.event_id, o.ticket_type_id, o.buyer_email, o.quantity,"
      + " o.unit_price_minor, o.total_minor, o.currency, o.status, o.placed_at, o.cancelled_at";
  static final String TICKET_COLUMNS = "k.id, k.order_id, k.event_id, k.ticket_type_id, k.status, k.issued_at,"
      + " k.qr_status, k.checked_in_at";

  private OrderJson() {
  }

  static JsonObject order(UUID id, UUID eventId, UUID ticketTypeId, String buyerEmail, int quantity,
                          long unitPriceMinor, String currency, String status, Instant placedAt, Instant cancelledAt,
                          JsonArray tickets) {
    JsonObject order = new JsonObject()
        .put("id", id.toString())
        .put("eventId", eventId.toString())
        .put("ticketTypeId", ticketTypeId.toString())
        .put("buyerEmail", buyerEmail)
        .put("quantity", quantity)
        .put("unitPriceMinor", unitPriceMinor)
        .put("totalMinor", unitPriceMinor * quantity)
        .put("currency", currency)
        .put("status", status)
        .put("placedAt", placedAt.toString());
    if (cancelledAt != null) {
      order.put("cancelledAt", cancelledAt.toString());
    }
    return order.put("tickets", tickets);
  }

  /**
   * A ticket; {@code qrStatus} is {@code pending} until its QR code is rendered ({@code ready}) or its issuance
   * failed ({@code failed}); {@code checkedInAt} appears once it is checked in.
   */
  static JsonObject ticket(UUID id, UUID orderId, UUID eventId, UUID ticketTypeId, String status, Instant issuedAt,
                           String qrStatus, Instant checkedInAt) {
    JsonObject ticket = new JsonObject()
        .put("id", id.toString())
        .put("orderId", orderId.toString())
        .put("eventId", eventId.toString())
        .put("ticketTypeId", ticketTypeId.toString())
        .put("status", status)
        .put("issuedAt", issuedAt.toString())
        .put("qrStatus", qrStatus);
    if (checkedInAt != null) {
      ticket.put("checkedInAt", checkedInAt.toString());
    }
    return ticket;
  }

  static JsonObject ticket(Row row) {
    return ticket(row.getUUID("id"), row.getUUID("order_id"), row.getUUID("event_id"), row.getUUID("ticket_type_id"),
        row.getString("status"), instant(row.getOffsetDateTime("issued_at")), row.getString("qr_status"),
        instant(row.getOffsetDateTime("checked_in_at")));
  }

  /** An order row with its tickets, found in {@code ticketsByOrder} (tickets sorted by id). */
  static JsonObject order(Row row, Map<UUID, List<JsonObject>> ticketsByOrder) {
    JsonArray tickets = new JsonArray();
    ticketsByOrder.getOrDefault(row.getUUID("id"), List.of()).forEach(tickets::add);
    return order(row.getUUID("id"), row.getUUID("event_id"), row.getUUID("ticket_type_id"),
        row.getString("buyer_email"), row.getInteger("quantity"), row.getLong("unit_price_minor"),
        row.getString("currency"), row.getString("status"), instant(row.getOffsetDateTime("placed_at")),
        instant(row.getOffsetDateTime("cancelled_at")), tickets);
  }

  private static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
