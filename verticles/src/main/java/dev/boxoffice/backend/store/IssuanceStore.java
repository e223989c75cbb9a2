package dev.boxoffice.backend.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the ticket-issuance workflow reads and writes: an order's issuance execution (started once, looked at with
 * exponential back-off) and its tickets' QR status. The ticket-cancellation workflow reads an order the same way.
 */
public final class IssuanceStore {

  private static final String ORDER = "SELECT o.status, o.event_id, o.ticket_type_id, o.buyer_email,"
      + " o.issuance_execution_arn, e.title, e.organizer_email, e.starts_at, e.ends_at, e.venue, e.city, e.time_zone,"
      + " (SELECT array_agg(k.id ORDER BY k.id) FROM tickets k WHERE k.order_id = o.id) AS ticket_ids"
      + " FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = $1";
  private static final String RECORD_EXECUTION = "UPDATE orders SET issuance_execution_arn = $2,"
      + " issuance_next_check_at = now() + interval '1 second', issuance_checks = 0"
      + " WHERE id = $1 AND issuance_execution_arn IS NULL";
  private static final String DUE = "SELECT id, issuance_execution_arn FROM orders"
      + " WHERE issuance_execution_arn IS NOT NULL AND issuance_next_check_at <= now()"
      + " ORDER BY issuance_next_check_at LIMIT $1";
  private static final String LOOK_LATER = "UPDATE orders SET issuance_checks = issuance_checks + 1,"
      + " issuance_next_check_at = now() + make_interval(secs => least(power(2, issuance_checks + 1), 300))"
      + " WHERE id = $1";
  private static final String DONE = "UPDATE orders SET issuance_next_check_at = NULL WHERE id = $1";
  private static final String READY = "UPDATE tickets k SET qr_status = 'ready', qr_key = q.qr_key"
      + " FROM unnest($2::uuid[], $3::text[]) AS q(id, qr_key)"
      + " WHERE k.id = q.id AND k.order_id = $1 AND k.qr_status = 'pending'";
  private static final String FAILED = "UPDATE tickets SET qr_status = 'failed'"
      + " WHERE order_id = $1 AND qr_status = 'pending'";

  /**
   * An order as its issuance needs it: the buyer, the event's title, organizer, times and place (the buyer's email
   * shows them), the ticket ids.
   */
  public record OrderToIssue(boolean cancelled, UUID eventId, UUID ticketTypeId, String buyerEmail,
                             Optional<String> executionArn, String eventTitle, String organizerEmail,
                             Instant startsAt, Instant endsAt, String venue, String city, String timeZone,
                             List<UUID> ticketIds) {
  }

  /** An order whose issuance execution is due for a look. */
  public record DueExecution(UUID orderId, String executionArn) {
  }

  private final Pool pool;

  public IssuanceStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<OrderToIssue>> order(UUID orderId) {
    return pool.preparedQuery(ORDER).execute(Tuple.of(orderId)).map(rows -> rows.size() == 0
        ? Optional.empty()
        : Optional.of(orderToIssue(rows.iterator().next())));
  }

  /** Records the execution unless the order has one already. */
  public Future<Void> recordExecution(UUID orderId, String executionArn) {
    return pool.preparedQuery(RECORD_EXECUTION).execute(Tuple.of(orderId, executionArn)).mapEmpty();
  }

  /** At most {@code limit} executions due for a look, the longest waiting first. */
  public Future<List<DueExecution>> due(int limit) {
    return pool.preparedQuery(DUE).execute(Tuple.of(limit)).map(rows -> {
      List<DueExecution> due = new ArrayList<>();
      for (Row row : rows) {
        due.add(new DueExecution(row.getUUID("id"), row.getString("issuance_execution_arn")));
      }
      return due;
    });
  }

  /** The next look at the order's execution comes twice as late as the last one, at most 5 minutes. */
  public Future<Void> lookLater(UUID orderId) {
    return pool.preparedQuery(LOOK_LATER).execute(Tuple.of(orderId)).mapEmpty();
  }

  /** The listed tickets' QR codes are ready at their keys; any other ticket of the order failed. */
  public Future<Void> ready(UUID orderId, List<UUID> ticketIds, List<String> qrKeys) {
    return pool.withTransaction(conn -> conn.preparedQuery(READY)
        .execute(Tuple.of(orderId, ticketIds.toArray(UUID[]::new), qrKeys.toArray(String[]::new)))
        .compose(updated -> conn.preparedQuery(FAILED).execute(Tuple.of(orderId)))
        .compose(updated -> conn.preparedQuery(DONE).execute(Tuple.of(orderId)))).mapEmpty();
  }

  /** The order's tickets still pending get no QR code; nobody looks at its execution again. */
  public Future<Void> failed(UUID orderId) {
    return pool.withTransaction(conn -> conn.preparedQuery(FAILED).execute(Tuple.of(orderId))
        .compose(updated -> conn.preparedQuery(DONE).execute(Tuple.of(orderId)))).mapEmpty();
  }

  private static OrderToIssue orderToIssue(Row row) {
    UUID[] stored = row.getArrayOfUUIDs("ticket_ids");
    return new OrderToIssue("cancelled".equals(row.getString("status")), row.getUUID("event_id"),
        row.getUUID("ticket_type_id"), row.getString("buyer_email"),
        Optional.ofNullable(row.getString("issuance_execution_arn")), row.getString("title"),
        row.getString("organizer_email"), row.getOffsetDateTime("starts_at").toInstant(),
        row.getOffsetDateTime("ends_at").toInstant(), row.getString("venue"), row.getString("city"),
        row.getString("time_zone"), stored == null ? List.of() : List.of(stored));
  }
}
