package dev.boxoffice.backend.store;

import dev.boxoffice.backend.db.AdvisoryLock;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Which buyer notices SNS took ({@code buyer_notices_published}, keyed by their domain event), and the notice
 * catch-up that publishes the others: its cursor in {@code notice_catch_up}, the notice events after it, and the
 * advisory lock that lets one backend at a time catch up.
 */
public final class NoticeCatchUpStore {

  /** The domain events that tell a buyer something by email, as the partial index {@code outbox_buyer_notices}. */
  public static final List<String> NOTICE_TYPES =
      List.of("HoldExpired", "PaymentDeclined", "PaymentRefunded", "OrderCancelled");

  private static final String CURSOR = "SELECT last_outbox_id FROM notice_catch_up";
  // The types written out, not a parameter: only then can the planner use the partial index on them.
  private static final String NEXT_NOTICES = "SELECT o.id, p.event_id IS NOT NULL AS published,"
      + " CASE WHEN p.event_id IS NULL THEN o.payload::text END AS payload,"
      + " o.sent_at IS NOT NULL AND o.sent_at < now() - make_interval(secs => $2) AS settled"
      + " FROM outbox o LEFT JOIN buyer_notices_published p ON p.event_id = o.event_id"
      + " WHERE o.id > $1 AND o.type IN ('" + String.join("', '", NOTICE_TYPES) + "') ORDER BY o.id LIMIT $3";
  private static final String ADVANCE = "UPDATE notice_catch_up SET last_outbox_id = greatest(last_outbox_id, $1)";
  // Only events still in the outbox: the record goes with its row, and a row the week's purge took needs none.
  private static final String RECORD_PUBLISHED = "INSERT INTO buyer_notices_published (event_id)"
      + " SELECT taken.id FROM unnest($1::uuid[]) AS taken (id)"
      + " WHERE EXISTS (SELECT 1 FROM outbox WHERE event_id = taken.id) ON CONFLICT DO NOTHING";
  /** The advisory lock key of this catch-up; the relay's is 0x626f786f6666, the workflows' catch-up's 0x636174636875. */
  private static final long NOTICE_CATCH_UP_LOCK = 0x6e6f74696365L;

  /**
   * A notice event after the cursor: settled when it was relayed more than the settle time ago, published when SNS
   * took its notice; {@code payload} is read only for the unpublished.
   */
  public record RelayedNotice(long outboxId, boolean published, String payload, boolean settled) {
  }

  private final Pool pool;

  public NoticeCatchUpStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Runs {@code round} while this backend holds the notice catch-up's lock: another backend's catch-up skips its turn
   * meanwhile, so no notice is published by two. Empty when another backend holds it.
   */
  public <T> Future<Optional<T>> exclusively(Supplier<Future<T>> round) {
    return AdvisoryLock.exclusively(pool, NOTICE_CATCH_UP_LOCK, round);
  }

  /** At most {@code limit} notice events after the cursor, in outbox order. */
  public Future<List<RelayedNotice>> next(Duration settleTime, int limit) {
    return pool.query(CURSOR).execute()
        .compose(cursor -> pool.preparedQuery(NEXT_NOTICES).execute(Tuple.of(
            cursor.iterator().next().getLong("last_outbox_id"), settleTime.toMillis() / 1000.0, limit)))
        .map(rows -> {
          List<RelayedNotice> notices = new ArrayList<>();
          for (Row row : rows) {
            notices.add(new RelayedNotice(row.getLong("id"), row.getBoolean("published"), row.getString("payload"),
                row.getBoolean("settled")));
          }
          return notices;
        });
  }

  /** Moves the cursor past {@code outboxId}; never back. */
  public Future<Void> advance(long outboxId) {
    return pool.preparedQuery(ADVANCE).execute(Tuple.of(outboxId)).mapEmpty();
  }

  /** Records that SNS took the notices of these domain events, in one statement. */
  public Future<Void> recordPublished(List<UUID> eventIds) {
    return pool.preparedQuery(RECORD_PUBLISHED).execute(Tuple.of(eventIds.toArray(UUID[]::new))).mapEmpty();
  }
}
