package dev.boxoffice.backend.store;

import dev.boxoffice.backend.db.TimeOrderedIds;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What ticket issuance reads and writes: the orders awaiting issuance, the batches they are issued in (membership
 * recorded before a batch's execution starts), each batch's execution and when to look at it if its outcomes do not
 * come, and the tickets' QR status. One backend at a time forms and starts batches, under an advisory lock. The
 * ticket-cancellation workflow reads an order's tickets here too.
 */
public final class IssuanceStore {

  private static final String AWAITING = "SELECT o.id, o.status = 'cancelled' AS cancelled,"
      + " (SELECT count(*) FROM tickets k WHERE k.order_id = o.id) AS tickets"
      + " FROM orders o WHERE o.awaiting_issuance ORDER BY o.id LIMIT $1 FOR UPDATE SKIP LOCKED";
  private static final String INSERT_BATCH = "INSERT INTO issuance_batches (id) VALUES ($1)";
  private static final String TAKE_ORDERS = "UPDATE orders SET awaiting_issuance = false,"
      + " issuance_batch_id = CASE WHEN status = 'cancelled' THEN NULL ELSE $1::uuid END WHERE id = ANY($2)";
  private static final String UNSTARTED = "SELECT id, attempt FROM issuance_batches"
      + " WHERE started_at IS NULL AND finished_at IS NULL ORDER BY id";
  private static final String IN_FLIGHT = "SELECT count(*) AS batches FROM issuance_batches"
      + " WHERE started_at IS NOT NULL AND finished_at IS NULL";
  private static final String BATCH_ORDERS = "SELECT o.id, o.event_id, o.ticket_type_id, o.buyer_email, e.title,"
      + " e.organizer_email, e.starts_at, e.ends_at, e.venue, e.city, e.time_zone,"
      + " (SELECT array_agg(k.id ORDER BY k.id) FROM tickets k WHERE k.order_id = o.id) AS ticket_ids"
      + " FROM orders o JOIN events e ON e.id = o.event_id"
      + " WHERE o.issuance_batch_id = $1 AND o.status <> 'cancelled' ORDER BY o.event_id, o.id";
  private static final String RECORD_START = "UPDATE issuance_batches SET execution_arn = $3, started_at = now(),"
      + " checks = 0, next_check_at = now() + make_interval(secs => $4)"
      + " WHERE id = $1 AND attempt = $2 AND started_at IS NULL";
  private static final String READY = "UPDATE tickets k SET qr_status = 'ready', qr_key = q.qr_key"
      + " FROM unnest($2::uuid[], $3::text[]) AS q(id, qr_key), orders o"
      + " WHERE k.id = q.id AND o.id = k.order_id AND o.issuance_batch_id = $1 AND k.qr_status = 'pending'";
  private static final String FAILED = "UPDATE tickets k SET qr_status = 'failed' FROM orders o"
      + " WHERE o.id = k.order_id AND o.issuance_batch_id = $1 AND o.id = ANY($2) AND k.qr_status = 'pending'";
  private static final String FAIL_REST = "UPDATE tickets k SET qr_status = 'failed' FROM orders o"
      + " WHERE o.id = k.order_id AND o.issuance_batch_id = $1 AND k.qr_status = 'pending'";
  /**
   * Taken first by whatever may finish the batch: two chunks' outcomes applied at once would otherwise each check for
   * pending tickets before the other committed, both see the other's, and neither finish the batch.
   */
  private static final String LOCK_BATCH = "SELECT id FROM issuance_batches WHERE id = $1 FOR UPDATE";
  private static final String FINISH = "UPDATE issuance_batches b SET finished_at = now(), next_check_at = NULL"
      + " WHERE b.id = $1 AND b.finished_at IS NULL AND NOT EXISTS (SELECT 1 FROM orders o"
      + " JOIN tickets k ON k.order_id = o.id"
      + " WHERE o.issuance_batch_id = b.id AND o.status <> 'cancelled' AND k.qr_status = 'pending')";
  private static final String OVERDUE = "SELECT id, attempt, execution_arn FROM issuance_batches"
      + " WHERE finished_at IS NULL AND started_at IS NOT NULL AND next_check_at <= now()"
      + " ORDER BY next_check_at LIMIT $1";
  private static final String LOOK_LATER = "UPDATE issuance_batches SET checks = checks + 1,"
      + " next_check_at = now() + make_interval(secs => least($2 * power(2, checks + 1), 300)) WHERE id = $1";
  private static final String LOOK_SOON = "UPDATE issuance_batches SET next_check_at = now()"
      + " WHERE finished_at IS NULL AND started_at IS NOT NULL";
  private static final String START_AGAIN = "UPDATE issuance_batches SET started_at = NULL, execution_arn = NULL,"
      + " attempt = attempt + $2 WHERE id = $1 AND finished_at IS NULL";
  private static final String ORDER_TICKETS = "SELECT o.status = 'cancelled' AS cancelled, o.event_id, o.buyer_email,"
      + " e.organizer_email, (SELECT array_agg(k.id ORDER BY k.id) FROM tickets k WHERE k.order_id = o.id) AS ticket_ids"
      + " FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = $1";
  /** The advisory lock key of the issuer; any constant no other code locks on. */
  private static final long ISSUER_LOCK = 0x697373756572L;
  private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1) AS locked";

  /** A batch whose execution is not started: its attempt names the execution, {@code <batchId>-<attempt>}. */
  public record UnstartedBatch(UUID batchId, int attempt) {
  }

  /** An order of a batch as its issuance needs it: the buyer, the event's title, organizer, times and place. */
  public record BatchOrder(UUID orderId, UUID eventId, UUID ticketTypeId, String buyerEmail, String eventTitle,
                           String organizerEmail, Instant startsAt, Instant endsAt, String venue, String city,
                           String timeZone, List<UUID> ticketIds) {
  }

  /** An order's tickets and who may see their QR codes: what a cancellation marks. */
  public record OrderTickets(boolean cancelled, UUID eventId, String buyerEmail, String organizerEmail,
                             List<UUID> ticketIds) {
  }

  /** A started batch whose outcomes have not all come when expected. */
  public record OverdueBatch(UUID batchId, int attempt, String executionArn) {
  }

  private final Pool pool;

  public IssuanceStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<OrderTickets>> order(UUID orderId) {
    return pool.preparedQuery(ORDER_TICKETS).execute(Tuple.of(orderId)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      UUID[] ticketIds = row.getArrayOfUUIDs("ticket_ids");
      return Optional.of(new OrderTickets(row.getBoolean("cancelled"), row.getUUID("event_id"),
          row.getString("buyer_email"), row.getString("organizer_email"),
          ticketIds == null ? List.of() : List.of(ticketIds)));
    });
  }

  /**
   * Runs {@code round} while this backend holds the issuer's lock, in a transaction that only holds the lock;
   * whether it ran (not when another backend holds the lock).
   */
  public Future<Boolean> exclusively(Supplier<Future<?>> round) {
    return pool.withTransaction(lock -> lock.preparedQuery(TRY_LOCK).execute(Tuple.of(ISSUER_LOCK))
        .compose(rows -> rows.iterator().next().getBoolean("locked")
            ? round.get().map(true)
            : Future.succeededFuture(false)));
  }

  /**
   * Takes the oldest orders awaiting issuance into a new batch: at most {@code maxOrders}, and whole orders up to
   * {@code maxTickets} tickets (one order at least). Cancelled orders are taken out of the waiting and into no batch.
   * Empty when no live order awaits.
   */
  public Future<Optional<UUID>> formBatch(int maxOrders, int maxTickets) {
    UUID batchId = TimeOrderedIds.next();
    return pool.withTransaction(conn -> conn.preparedQuery(AWAITING).execute(Tuple.of(maxOrders)).compose(rows -> {
      List<UUID> taken = new ArrayList<>();
      boolean live = false;
      long tickets = 0;
      for (Row row : rows) {
        boolean cancelled = row.getBoolean("cancelled");
        long count = row.getLong("tickets");
        if (!cancelled && live && tickets + count > maxTickets) {
          break;
        }
        taken.add(row.getUUID("id"));
        if (!cancelled) {
          live = true;
          tickets += count;
        }
      }
      if (taken.isEmpty()) {
        return Future.succeededFuture(Optional.<UUID>empty());
      }
      Future<?> batch = live
          ? conn.preparedQuery(INSERT_BATCH).execute(Tuple.of(batchId))
          : Future.succeededFuture();
      boolean formed = live;
      return batch.compose(inserted -> conn.preparedQuery(TAKE_ORDERS)
              .execute(Tuple.tuple().addUUID(batchId).addArrayOfUUID(taken.toArray(UUID[]::new))))
          .map(updated -> formed ? Optional.of(batchId) : Optional.<UUID>empty());
    }));
  }

  /** Batches formed whose current attempt is not started, oldest first. */
  public Future<List<UnstartedBatch>> unstarted() {
    return pool.query(UNSTARTED).execute().map(rows -> {
      List<UnstartedBatch> batches = new ArrayList<>();
      for (Row row : rows) {
        batches.add(new UnstartedBatch(row.getUUID("id"), row.getInteger("attempt")));
      }
      return batches;
    });
  }

  /** Batches started and not finished, on every backend. */
  public Future<Integer> inFlight() {
    return pool.query(IN_FLIGHT).execute().map(rows -> rows.iterator().next().getLong("batches").intValue());
  }

  /** The batch's live orders, grouped by event. */
  public Future<List<BatchOrder>> batchOrders(UUID batchId) {
    return pool.preparedQuery(BATCH_ORDERS).execute(Tuple.of(batchId)).map(rows -> {
      List<BatchOrder> orders = new ArrayList<>();
      for (Row row : rows) {
        UUID[] ticketIds = row.getArrayOfUUIDs("ticket_ids");
        orders.add(new BatchOrder(row.getUUID("id"), row.getUUID("event_id"), row.getUUID("ticket_type_id"),
            row.getString("buyer_email"), row.getString("title"), row.getString("organizer_email"),
            row.getOffsetDateTime("starts_at").toInstant(), row.getOffsetDateTime("ends_at").toInstant(),
            row.getString("venue"), row.getString("city"), row.getString("time_zone"),
            ticketIds == null ? List.of() : List.of(ticketIds)));
      }
      return orders;
    });
  }

  /** Records the execution of the batch's attempt; the sweep looks at it after {@code lookAfter} if not finished. */
  public Future<Void> recordStart(UUID batchId, int attempt, String executionArn, Duration lookAfter) {
    return pool.preparedQuery(RECORD_START)
        .execute(Tuple.of(batchId, attempt, executionArn, lookAfter.toMillis() / 1000.0)).mapEmpty();
  }

  /** A batch with no live order left (all cancelled before it started) is finished at once. */
  public Future<Void> finishIfDone(UUID batchId) {
    return pool.preparedQuery(FINISH).execute(Tuple.of(batchId)).mapEmpty();
  }

  /**
   * A chunk's outcome: the listed tickets' QR codes are ready at their keys, the listed orders' tickets still pending
   * failed, and the batch is finished once none of its tickets is pending. Only tickets of the batch's orders change,
   * and a ticket ready or failed already stays so, so an outcome read twice changes nothing. Outcomes of one batch
   * are applied one after the other (a lock on the batch's row), those of different batches at once.
   */
  public Future<Void> applyOutcome(UUID batchId, List<UUID> readyTickets, List<String> qrKeys,
                                   List<UUID> failedOrders) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_BATCH).execute(Tuple.of(batchId))
        .compose(locked -> conn.preparedQuery(READY)
            .execute(Tuple.of(batchId, readyTickets.toArray(UUID[]::new), qrKeys.toArray(String[]::new))))
        .compose(updated -> conn.preparedQuery(FAILED)
            .execute(Tuple.tuple().addUUID(batchId).addArrayOfUUID(failedOrders.toArray(UUID[]::new))))
        .compose(updated -> finish(conn, batchId)));
  }

  /** At most {@code limit} overdue batches, the longest waiting first. */
  public Future<List<OverdueBatch>> overdue(int limit) {
    return pool.preparedQuery(OVERDUE).execute(Tuple.of(limit)).map(rows -> {
      List<OverdueBatch> batches = new ArrayList<>();
      for (Row row : rows) {
        batches.add(new OverdueBatch(row.getUUID("id"), row.getInteger("attempt"), row.getString("execution_arn")));
      }
      return batches;
    });
  }

  /** The next look at the batch comes twice as late as the last one, from {@code first}, at most 5 minutes. */
  public Future<Void> lookLater(UUID batchId, Duration first) {
    return pool.preparedQuery(LOOK_LATER).execute(Tuple.of(batchId, first.toMillis() / 2000.0)).mapEmpty();
  }

  /** Every batch issuing is looked at in the next round: what a backend that stopped or crashed left running. */
  public Future<Void> lookSoon() {
    return pool.query(LOOK_SOON).execute().mapEmpty();
  }

  /**
   * The batch is to be started again: under the same execution name when its execution is gone ({@code newAttempt}
   * false: the local engine lost it in a restart), under the next attempt's name when it ended without issuing.
   */
  public Future<Void> startAgain(UUID batchId, boolean newAttempt) {
    return pool.preparedQuery(START_AGAIN).execute(Tuple.of(batchId, newAttempt ? 1 : 0)).mapEmpty();
  }

  /** The batch's tickets still pending get no QR code; the batch is finished. */
  public Future<Void> failRest(UUID batchId) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_BATCH).execute(Tuple.of(batchId))
        .compose(locked -> conn.preparedQuery(FAIL_REST).execute(Tuple.of(batchId)))
        .compose(updated -> finish(conn, batchId)));
  }

  private static Future<Void> finish(SqlConnection conn, UUID batchId) {
    return conn.preparedQuery(FINISH).execute(Tuple.of(batchId)).mapEmpty();
  }
}
