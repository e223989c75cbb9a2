package dev.boxoffice.backend.auth;

import dev.boxoffice.backend.model.SessionRevocation;
import dev.boxoffice.codecs.session.SessionClaims;
import dev.boxoffice.codecs.session.SessionRevocations;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * This backend's copy of the revoked sessions that can still matter (some token they refuse not yet expired), read by
 * every event loop on every authenticated request without a query. A reloader adds the revocations stored since the
 * copy's version; each change replaces the copy whole, so a reader never sees half of one.
 */
public final class RevokedSessions {

  private final Clock clock;
  private volatile Copy copy = new Copy(0, Map.of(), Map.of());

  public RevokedSessions(Clock clock) {
    this.clock = clock;
  }

  /** The version of the last revocation this copy holds. */
  public long version() {
    return copy.version();
  }

  /** Whether the session of {@code claims}, whose token hashes to {@code tokenHash}, is revoked here. */
  public boolean refuses(SessionClaims claims, String tokenHash) {
    Copy current = copy;
    Held everywhere = current.everywhere().get(claims.subject());
    Optional<Instant> everywhereAt = everywhere == null ? Optional.empty() : Optional.of(everywhere.at());
    return new SessionRevocations(everywhereAt, Set.of()).refuses(claims, tokenHash)
        || current.signedOut().containsKey(tokenHash);
  }

  /**
   * Adds {@code revocations} (in version order) and forgets those whose tokens have all expired. Synchronized: two
   * reloads answering out of order must not lose one another's rows; a row already held is skipped.
   */
  public synchronized void add(List<SessionRevocation> revocations) {
    Instant now = clock.instant();
    Copy current = copy;
    Map<String, Held> everywhere = new HashMap<>();
    current.everywhere().forEach((email, held) -> {
      if (held.expiresAt().isAfter(now)) {
        everywhere.put(email, held);
      }
    });
    Map<String, Instant> signedOut = new HashMap<>();
    current.signedOut().forEach((hash, expiresAt) -> {
      if (expiresAt.isAfter(now)) {
        signedOut.put(hash, expiresAt);
      }
    });
    long version = current.version();
    for (SessionRevocation revocation : revocations) {
      if (revocation.version() <= version) {
        continue;
      }
      version = revocation.version();
      if (!revocation.expiresAt().isAfter(now)) {
        continue;
      }
      if (revocation.everywhere()) {
        everywhere.merge(revocation.email(), new Held(revocation.revokedAt(), revocation.expiresAt()),
            (held, added) -> added.at().isAfter(held.at()) ? added : held);
      } else {
        signedOut.put(revocation.tokenHash().orElseThrow(), revocation.expiresAt());
      }
    }
    copy = new Copy(version, Map.copyOf(everywhere), Map.copyOf(signedOut));
  }

  /** An address's latest "everywhere" and until when it is kept. */
  private record Held(Instant at, Instant expiresAt) {
  }

  private record Copy(long version, Map<String, Held> everywhere, Map<String, Instant> signedOut) {
  }
}
