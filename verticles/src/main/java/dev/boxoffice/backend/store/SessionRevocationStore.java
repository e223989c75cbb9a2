package dev.boxoffice.backend.store;

import dev.boxoffice.backend.model.SessionRevocation;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Revoked sessions: each revocation is one statement that takes the next version and inserts the row, so versions
 * commit in order and a reload "since version v" misses none; the copy to DynamoDB is marked per row.
 */
public final class SessionRevocationStore {

  private static final String COLUMNS = "version, email, token_hash, revoked_at, expires_at";
  private static final String REVOKE = "WITH bumped AS (UPDATE session_revocations_version"
      + " SET version = version + 1 RETURNING version)"
      + " INSERT INTO session_revocations (version, email, token_hash, revoked_by, expires_at)"
      + " SELECT version, $1, $2, $3, $4 FROM bumped"
      + " RETURNING " + COLUMNS;
  private static final String SINCE = "SELECT " + COLUMNS + " FROM session_revocations WHERE version > $1"
      + " ORDER BY version LIMIT $2";
  private static final String UNMIRRORED = "SELECT " + COLUMNS + " FROM session_revocations"
      + " WHERE mirrored_at IS NULL ORDER BY version LIMIT $1";
  private static final String MARK_MIRRORED = "UPDATE session_revocations SET mirrored_at = now()"
      + " WHERE version = $1 AND mirrored_at IS NULL";
  private static final String PURGE = "DELETE FROM session_revocations WHERE version IN (SELECT version"
      + " FROM session_revocations WHERE expires_at < now() LIMIT 1000)";

  private final Pool pool;

  public SessionRevocationStore(Pool pool) {
    this.pool = pool;
  }

  /** {@code email}'s session whose token hashes to {@code tokenHash} is signed out, kept until {@code keepUntil}. */
  public Future<SessionRevocation> signOut(String email, String tokenHash, String revokedBy, Instant keepUntil) {
    return insert(email, tokenHash, revokedBy, keepUntil);
  }

  /** Every session of {@code email} issued until now is signed out, kept until {@code keepUntil}. */
  public Future<SessionRevocation> signOutEverywhere(String email, String revokedBy, Instant keepUntil) {
    return insert(email, null, revokedBy, keepUntil);
  }

  private Future<SessionRevocation> insert(String email, String tokenHash, String revokedBy, Instant keepUntil) {
    return pool.preparedQuery(REVOKE)
        .execute(Tuple.of(email, tokenHash, revokedBy, OffsetDateTime.ofInstant(keepUntil, ZoneOffset.UTC)))
        .map(rows -> revocation(rows.iterator().next()));
  }

  /** Up to {@code limit} revocations after {@code version}, in version order: one index probe when there is none. */
  public Future<List<SessionRevocation>> since(long version, int limit) {
    return pool.preparedQuery(SINCE).execute(Tuple.of(version, (long) limit)).map(rows -> {
      List<SessionRevocation> revocations = new ArrayList<>(rows.size());
      rows.forEach(row -> revocations.add(revocation(row)));
      return revocations;
    });
  }

  /** Revocations not yet copied to DynamoDB, oldest first. */
  public Future<List<SessionRevocation>> unmirrored(int limit) {
    return pool.preparedQuery(UNMIRRORED).execute(Tuple.of((long) limit)).map(rows -> {
      List<SessionRevocation> revocations = new ArrayList<>(rows.size());
      rows.forEach(row -> revocations.add(revocation(row)));
      return revocations;
    });
  }

  public Future<Void> markMirrored(long version) {
    return pool.preparedQuery(MARK_MIRRORED).execute(Tuple.of(version)).mapEmpty();
  }

  /** Deletes up to 1000 revocations that refuse no valid token any more, copied or not; answers how many. */
  public Future<Integer> purgeExpired() {
    return pool.query(PURGE).execute().map(rows -> rows.rowCount());
  }

  private static SessionRevocation revocation(Row row) {
    return new SessionRevocation(row.getLong("version"), row.getString("email"),
        Optional.ofNullable(row.getString("token_hash")), row.getOffsetDateTime("revoked_at").toInstant(),
        row.getOffsetDateTime("expires_at").toInstant());
  }
}
