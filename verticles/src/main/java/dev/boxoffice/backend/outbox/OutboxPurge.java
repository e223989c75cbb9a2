package dev.boxoffice.backend.outbox;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;

/**
 * Deletes outbox rows that have done all they are for: relayed more than {@link #RETENTION} ago, and read by the
 * workflows' catch-up (behind its cursor in {@code workflow_catch_up}), which is the only reader of relayed rows.
 * Without workflows configured the cursor does not move and nothing is deleted. Works from the oldest rows, a chunk
 * at a time, so that a round costs the same however long the table is; an old row still unsent stops it there.
 */
final class OutboxPurge {

  static final Duration RETENTION = Duration.ofDays(7);
  static final int CHUNK = 5_000;

  private static final String PURGE = "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT $1)"
      + " AND sent_at < now() - make_interval(secs => $2)"
      + " AND id <= (SELECT last_outbox_id FROM workflow_catch_up)";

  private OutboxPurge() {
  }

  /** How many rows went; {@code chunk} of them means more may be waiting. */
  static Future<Integer> purgeOldest(Pool pool, Duration retention, int chunk) {
    return pool.preparedQuery(PURGE).execute(Tuple.of(chunk, (double) retention.toSeconds()))
        .map(deleted -> deleted.rowCount());
  }
}
