package dev.boxoffice.backend.store;

import dev.boxoffice.backend.model.Refund;
import dev.boxoffice.backend.outbox.Outbox;
import dev.boxoffice.codecs.events.PaymentRefunded;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Refunds: written by the transactions that decide them (an order or event cancelled, a payment that came too late),
 * then sent to the payment provider by the refund worker, which claims due ones across backends with
 * {@code FOR UPDATE SKIP LOCKED} and records the provider's answer. A refund's id is its provider call's idempotency
 * key, so a retry after a crash never pays back twice.
 */
public final class RefundStore {

  private static final String REFUNDS_OF_HOLDS = "SELECT r.hold_id, r.id, r.amount_minor, r.currency, r.tickets,"
      + " r.reason, r.status, r.created_at, r.completed_at FROM refunds r WHERE r.hold_id = ANY($1)"
      + " ORDER BY r.created_at, r.id";
  // What is left to pay back of each paid order: its payment less what succeeded or is under way.
  private static final String REFUND_PAID_ORDERS = "INSERT INTO refunds (id, hold_id, order_id, event_id,"
      + " ticket_type_id, buyer_email, amount_minor, currency, tickets, reason, next_attempt_at, created_at)"
      + " SELECT gen_random_uuid(), h.id, o.id, o.event_id, o.ticket_type_id, o.buyer_email,"
      + " h.paid_minor - COALESCE(done.amount_minor, 0), o.currency, o.quantity, $2, now(), now()"
      + " FROM orders o JOIN holds h ON h.id = o.id AND h.payment_status = 'paid'"
      + " LEFT JOIN LATERAL (SELECT sum(amount_minor) AS amount_minor FROM refunds d WHERE d.hold_id = h.id"
      + " AND d.status <> 'failed') done ON true"
      + " WHERE o.id = ANY($1) AND h.paid_minor - COALESCE(done.amount_minor, 0) > 0";
  private static final String REFUND_HOLD = "INSERT INTO refunds (id, hold_id, event_id, ticket_type_id, buyer_email,"
      + " amount_minor, currency, tickets, reason, next_attempt_at, created_at)"
      + " SELECT gen_random_uuid(), h.id, h.event_id, h.ticket_type_id, h.buyer_email, h.paid_minor, h.currency,"
      + " h.quantity, $2, now(), now() FROM holds h WHERE h.id = $1";
  private static final String CLAIM_DUE = "UPDATE refunds r SET attempts = attempts + 1,"
      + " next_attempt_at = now() + make_interval(secs => $2) WHERE r.id IN (SELECT id FROM refunds"
      + " WHERE status = 'pending' AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT $1"
      + " FOR UPDATE SKIP LOCKED) RETURNING r.id, r.hold_id, r.amount_minor, r.currency, r.attempts,"
      + " (SELECT h.payment_id FROM holds h WHERE h.id = r.hold_id) AS payment_id";
  private static final String SUCCEEDED = "UPDATE refunds SET status = 'succeeded', provider_refund_id = $2,"
      + " completed_at = now(), next_attempt_at = NULL, failure = NULL WHERE id = $1 AND status = 'pending'"
      + " RETURNING id, hold_id, order_id, event_id, buyer_email, amount_minor, currency, tickets, reason";
  private static final String FAILED = "UPDATE refunds SET status = 'failed', failure = $2, completed_at = now(),"
      + " next_attempt_at = NULL WHERE id = $1 AND status = 'pending'";
  private static final String RETRY_LATER = "UPDATE refunds SET failure = $2,"
      + " next_attempt_at = now() + make_interval(secs => $3), provider_refund_id = COALESCE($4, provider_refund_id)"
      + " WHERE id = $1 AND status = 'pending'";

  /** A refund to send: the provider's payment id and the amount in minor units of {@code currency}. */
  public record Due(UUID id, UUID holdId, String paymentId, long amountMinor, String currency, int attempts) {
  }

  private final Pool pool;

  public RefundStore(Pool pool) {
    this.pool = pool;
  }

  /** In the caller's transaction: a refund of what remains paid of each of {@code orders} that was paid. */
  static Future<RowSet<Row>> refundPaidOrders(SqlConnection conn, List<CancelledOrder> orders, Refund.Reason reason) {
    UUID[] ids = orders.stream().map(CancelledOrder::orderId).toArray(UUID[]::new);
    return conn.preparedQuery(REFUND_PAID_ORDERS).execute(Tuple.tuple().addValue(ids).addValue(reason.text()));
  }

  /** In the caller's transaction: the whole payment of a hold that did not become an order goes back. */
  static Future<RowSet<Row>> refundHold(SqlConnection conn, UUID holdId, Refund.Reason reason) {
    return conn.preparedQuery(REFUND_HOLD).execute(Tuple.of(holdId, reason.text()));
  }

  /**
   * Claims up to {@code limit} due refunds for this backend: each is due again after {@code lease} unless its answer
   * is recorded first, so a backend that dies with a claim leaves it to another.
   */
  public Future<List<Due>> claimDue(int limit, Duration lease) {
    return pool.preparedQuery(CLAIM_DUE).execute(Tuple.of(limit, (double) lease.toSeconds())).map(rows -> {
      List<Due> due = new ArrayList<>();
      for (Row row : rows) {
        due.add(new Due(row.getUUID("id"), row.getUUID("hold_id"), row.getString("payment_id"),
            row.getLong("amount_minor"), row.getString("currency"), row.getInteger("attempts")));
      }
      return due;
    });
  }

  /**
   * The provider paid the refund back: recorded with its id, and the buyer is told by {@link PaymentRefunded} in the
   * same transaction. Empty when it was recorded already (a webhook and the worker both saw it).
   */
  public Future<Optional<PaymentRefunded>> succeeded(UUID refundId, String providerRefundId) {
    return pool.withTransaction(conn -> conn.preparedQuery(SUCCEEDED).execute(Tuple.of(refundId, providerRefundId))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<PaymentRefunded>empty());
          }
          Row row = rows.iterator().next();
          PaymentRefunded event = new PaymentRefunded(UUID.randomUUID(), Instant.now(), row.getUUID("id"),
              row.getUUID("hold_id"), row.getUUID("order_id"), row.getUUID("event_id"), row.getString("buyer_email"),
              row.getLong("amount_minor"), row.getString("currency"), row.getInteger("tickets"),
              row.getString("reason"));
          return Outbox.append(conn, event).map(Optional.of(event));
        }));
  }

  /** The provider refused the refund for good (it says why); the organizer sees it failed. */
  public Future<Void> failed(UUID refundId, String reason) {
    return pool.preparedQuery(FAILED).execute(Tuple.of(refundId, reason)).mapEmpty();
  }

  /** Not answered yet (the provider unreachable, or its refund still pending): asked again after {@code delay}. */
  public Future<Void> retryLater(UUID refundId, String why, Duration delay, String providerRefundId) {
    return pool.preparedQuery(RETRY_LATER)
        .execute(Tuple.of(refundId, why, (double) delay.toSeconds(), providerRefundId)).mapEmpty();
  }

  /** Refunds of the given orders (or holds: the same ids), oldest first, as buyers and organizers see them. */
  static Future<Map<UUID, List<Refund>>> refundsOf(SqlConnection conn, UUID[] ids) {
    return conn.preparedQuery(REFUNDS_OF_HOLDS).execute(Tuple.tuple().addValue(ids)).map(rows -> {
          Map<UUID, List<Refund>> refunds = new HashMap<>();
          rows.forEach(row -> refunds.computeIfAbsent(row.getUUID("hold_id"), id -> new ArrayList<>())
              .add(refund(row)));
          return refunds;
        });
  }

  static Refund refund(Row row) {
    return new Refund(row.getUUID("id"), row.getLong("amount_minor"), row.getString("currency"),
        row.getInteger("tickets"), Refund.Reason.of(row.getString("reason")), Refund.Status.of(row.getString("status")),
        row.getOffsetDateTime("created_at").toInstant(), OrderRows.instant(row.getOffsetDateTime("completed_at")));
  }
}
