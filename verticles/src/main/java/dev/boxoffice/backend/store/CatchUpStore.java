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
 * The workflows' catch-up reading the relayed outbox in order: its cursor in {@code workflow_catch_up}, the rows
 * after it, and whether an announced event is still published; and the advisory lock that lets one backend at a time
 * catch up.
 */
public final class CatchUpStore {

  private static final String CURSOR = "SELECT last_outbox_id FROM workflow_catch_up";
  private static final String NEXT_EVENTS = "SELECT id, type, event_id, aggregate_id, trace_header,"
      + " CASE WHEN type = 'EventPublished' THEN payload::text END AS payload,"
      + " sent_at IS NOT NULL AND sent_at < now() - make_interval(secs => $2) AS settled"
      + " FROM outbox WHERE id > $1 AND type = ANY($3) ORDER BY id LIMIT $4";
  private static final String STILL_PUBLISHED = "SELECT 1 FROM events WHERE id = $1 AND status = 'published'";
  private static final String ADVANCE = "UPDATE workflow_catch_up SET last_outbox_id = greatest(last_outbox_id, $1)";
  /**
   * Past the rows of other types too, up to the first row not yet settled (unsent, or relayed within the settle time)
   * and short of any row of the caught-up types after {@code $2} (the last one handled): those it has not seen.
   */
  private static final String ADVANCE_OVER_SETTLED = "UPDATE workflow_catch_up SET last_outbox_id = greatest("
      + "last_outbox_id, least("
      + "coalesce((SELECT min(id) - 1 FROM outbox WHERE id > last_outbox_id"
      + " AND (sent_at IS NULL OR sent_at >= now() - make_interval(secs => $1))), (SELECT max(id) FROM outbox)),"
      + "coalesce((SELECT min(id) - 1 FROM outbox WHERE id > greatest(last_outbox_id, $2) AND type = ANY($3)),"
      + " (SELECT max(id) FROM outbox))))";
  /** The advisory lock key of the catch-up; any constant no other code locks on (the relay's is 0x626f786f6666). */
  private static final long CATCH_UP_LOCK = 0x636174636875L;

  /**
   * An outbox row after the cursor: settled when it was relayed more than the settle time ago; {@code payload} is
   * read for EventPublished only, the one type whose start needs it; {@code traceHeader} is the row's (null: none).
   */
  public record RelayedEvent(long outboxId, String type, UUID eventId, UUID aggregateId, String payload,
                             boolean settled, String traceHeader) {
  }

  private final Pool pool;

  public CatchUpStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Runs {@code round} while this backend holds the catch-up's lock, in a transaction that only holds the lock (the
   * round reads and advances the cursor on other connections, and commits each step): another backend's catch-up
   * skips its turn meanwhile, so no row is handled twice. Empty when another backend holds it.
   */
  public <T> Future<Optional<T>> exclusively(Supplier<Future<T>> round) {
    return AdvisoryLock.exclusively(pool, CATCH_UP_LOCK, round);
  }

  /** At most {@code limit} rows of {@code types} after the cursor, in outbox order. */
  public Future<List<RelayedEvent>> next(Duration settleTime, String[] types, int limit) {
    return pool.query(CURSOR).execute()
        .compose(cursor -> pool.preparedQuery(NEXT_EVENTS).execute(Tuple.of(
            cursor.iterator().next().getLong("last_outbox_id"), settleTime.toMillis() / 1000.0, types, limit)))
        .map(rows -> {
          List<RelayedEvent> events = new ArrayList<>();
          for (Row row : rows) {
            events.add(new RelayedEvent(row.getLong("id"), row.getString("type"), row.getUUID("event_id"),
                row.getUUID("aggregate_id"), row.getString("payload"), row.getBoolean("settled"),
                row.getString("trace_header")));
          }
          return events;
        });
  }

  public Future<Boolean> stillPublished(UUID eventId) {
    return pool.preparedQuery(STILL_PUBLISHED).execute(Tuple.of(eventId)).map(found -> found.size() > 0);
  }

  /**
   * After a round that handled every row of {@code types} it read ({@code handledUpTo} the last of them, 0 for none):
   * moves the cursor over the settled rows of other types behind it, which nobody catches up (orders await issuance
   * in their own rows), so that the outbox's purge, which keeps what the cursor has not passed, can take them.
   */
  public Future<Void> advanceOverSettled(Duration settleTime, long handledUpTo, String[] types) {
    return pool.preparedQuery(ADVANCE_OVER_SETTLED)
        .execute(Tuple.of(settleTime.toMillis() / 1000.0, handledUpTo, types)).mapEmpty();
  }

  /** Moves the cursor past {@code outboxId}; never back. */
  public Future<Void> advance(long outboxId) {
    return pool.preparedQuery(ADVANCE).execute(Tuple.of(outboxId)).mapEmpty();
  }
}
