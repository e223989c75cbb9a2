package dev.boxoffice.backend.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One backend at a time for a periodic job: a PostgreSQL advisory lock held by a transaction that does nothing else,
 * while the job runs its own statements on other connections and commits each step. A crashed backend's lock goes with
 * its connection.
 */
public final class AdvisoryLock {

  private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1) AS locked";

  private AdvisoryLock() {
  }

  /** Runs {@code round} while this backend holds {@code key}; empty, without running it, when another backend does. */
  public static <T> Future<Optional<T>> exclusively(Pool pool, long key, Supplier<Future<T>> round) {
    return pool.withTransaction(lock -> lock.preparedQuery(TRY_LOCK).execute(Tuple.of(key))
        .compose(rows -> rows.iterator().next().getBoolean("locked")
            ? round.get().map(Optional::of)
            : Future.succeededFuture(Optional.empty())));
  }
}
