package dev.boxoffice.backend.store;

import dev.boxoffice.backend.model.Order;
import dev.boxoffice.backend.model.Refund;
import dev.boxoffice.backend.model.Ticket;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Order and ticket rows as the model's records; the columns every query of them selects. */
final class OrderRows {

  static final String ORDER_COLUMNS = "o.id, o.event_id, o.ticket_type_id, o.buyer_email, o.quantity,"
      + " o.unit_price_minor, o.total_minor, o.currency, o.status, o.placed_at, o.cancelled_at";
  /** What was paid for an order: the paid hold of the same id, when there is one. */
  static final String PAID_OF_ORDER = "(SELECT h.paid_minor FROM holds h WHERE h.id = o.id"
      + " AND h.payment_status = 'paid') AS paid_minor";
  static final String TICKET_COLUMNS = "k.id, k.order_id, k.event_id, k.ticket_type_id, k.status, k.issued_at,"
      + " k.qr_status, k.checked_in_at";

  private OrderRows() {
  }

  static Ticket ticket(Row row) {
    return new Ticket(row.getUUID("id"), row.getUUID("order_id"), row.getUUID("event_id"),
        row.getUUID("ticket_type_id"), Ticket.Status.of(row.getString("status")),
        instant(row.getOffsetDateTime("issued_at")), Ticket.QrStatus.of(row.getString("qr_status")),
        instant(row.getOffsetDateTime("checked_in_at")));
  }

  /**
   * An order row (with {@link #PAID_OF_ORDER}) with its tickets, found in {@code ticketsByOrder} (tickets sorted by
   * id), and its refunds.
   */
  static Order order(Row row, Map<UUID, List<Ticket>> ticketsByOrder, Map<UUID, List<Refund>> refundsByOrder) {
    UUID id = row.getUUID("id");
    return new Order(id, row.getUUID("event_id"), row.getUUID("ticket_type_id"),
        row.getString("buyer_email"), row.getInteger("quantity"), row.getLong("unit_price_minor"),
        row.getString("currency"), Order.Status.of(row.getString("status")),
        instant(row.getOffsetDateTime("placed_at")), instant(row.getOffsetDateTime("cancelled_at")),
        ticketsByOrder.getOrDefault(id, List.of()), row.getLong("paid_minor"), refundsByOrder.getOrDefault(id, List.of()));
  }

  static Instant instant(OffsetDateTime time) {
    return time == null ? null : time.toInstant();
  }
}
