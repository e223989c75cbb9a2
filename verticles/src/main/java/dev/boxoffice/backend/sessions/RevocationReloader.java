package dev.boxoffice.backend.sessions;

import dev.boxoffice.backend.auth.RevokedSessions;
import dev.boxoffice.backend.model.SessionRevocation;
import dev.boxoffice.backend.store.SessionRevocationStore;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Brings this backend's copy of the revoked sessions to the database (one index probe when nothing changed), and
 * copies to the Lambdas' table any revocation that did not reach it when it was made.
 */
public final class RevocationReloader {

  /** Rows read per query; a reload reads on until it has them all. */
  private static final int PAGE = 5000;
  private static final int MIRRORED_PER_ROUND = 100;

  private final SessionRevocationStore store;
  private final RevokedSessions revoked;
  private final Optional<RevokedSessionsTable> table;

  public RevocationReloader(SessionRevocationStore store, RevokedSessions revoked,
                            Optional<RevokedSessionsTable> table) {
    this.store = store;
    this.revoked = revoked;
    this.table = table;
  }

  public Future<Void> reload() {
    return store.since(revoked.version(), PAGE).compose(rows -> {
      revoked.add(rows);
      return rows.size() == PAGE ? reload() : Future.succeededFuture();
    });
  }

  /** Copies {@code revocation} to the Lambdas' table and marks it copied; a failure leaves it to the next round. */
  Future<Void> mirror(SessionRevocation revocation) {
    if (table.isEmpty()) {
      return Future.succeededFuture();
    }
    return table.get().put(revocation).compose(put -> store.markMirrored(revocation.version()));
  }

  /**
   * The periodic round's other half: copy what was not copied (failing if any copy failed, for the verticle to say
   * once), then in any case forget what refuses no valid token.
   */
  Future<Void> mirrorPendingAndPurge() {
    if (table.isEmpty()) {
      return store.purgeExpired().mapEmpty();
    }
    return store.unmirrored(MIRRORED_PER_ROUND)
        .compose(pending -> Future.join(pending.stream().map(this::mirror).toList()))
        .eventually(() -> store.purgeExpired())
        .mapEmpty();
  }
}
