package dev.boxoffice.backend.store;

import dev.boxoffice.codecs.notifications.EventDetails;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What the buyer's notifications say beyond their domain event: the event as an email describes it, until when a
 * hold keeps its tickets, and what a cancelled order gives back. Read when the notification is published, from the
 * rows the event's transaction committed.
 */
public final class NotificationStore {

  private static final String EVENT = "SELECT id, title, venue, city, starts_at, ends_at, time_zone, status"
      + " FROM events WHERE id = $1";
  private static final String HOLD_EXPIRY = "SELECT expires_at FROM holds WHERE id = $1";
  // Only the cancellation's own refunds: a late or mismatched payment of the same hold is its own email.
  private static final String CANCELLED_ORDER = "SELECT o.currency, coalesce((SELECT sum(r.amount_minor)"
      + " FROM refunds r WHERE r.order_id = o.id AND r.reason IN ('order_cancelled', 'event_cancelled')), 0)"
      + " AS refund_minor FROM orders o WHERE o.id = $1";

  /** An event as emails describe it, and whether its organizer cancelled it. */
  public record EventFacts(EventDetails details, boolean cancelled) {
  }

  /** What a cancelled order gives back: {@code refundMinor} in the order's currency, 0 for free tickets. */
  public record OrderRefund(String currency, long refundMinor) {
  }

  private final Pool pool;

  public NotificationStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<EventFacts>> event(UUID eventId) {
    return pool.preparedQuery(EVENT).execute(Tuple.of(eventId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new EventFacts(new EventDetails(row.getUUID("id"), row.getString("title"),
          row.getString("venue"), row.getString("city"), row.getOffsetDateTime("starts_at").toInstant(),
          row.getOffsetDateTime("ends_at").toInstant(), row.getString("time_zone")),
          "cancelled".equals(row.getString("status"))));
    });
  }

  public Future<Optional<Instant>> holdExpiry(UUID holdId) {
    return pool.preparedQuery(HOLD_EXPIRY).execute(Tuple.of(holdId)).map(rows -> rows.size() == 0
        ? Optional.empty()
        : Optional.of(rows.iterator().next().getOffsetDateTime("expires_at").toInstant()));
  }

  public Future<Optional<OrderRefund>> cancelledOrderRefund(UUID orderId) {
    return pool.preparedQuery(CANCELLED_ORDER).execute(Tuple.of(orderId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new OrderRefund(row.getString("currency"), row.getLong("refund_minor")));
    });
  }
}
