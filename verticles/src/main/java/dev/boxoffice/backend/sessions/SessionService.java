package dev.boxoffice.backend.sessions;

import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.auth.SessionToken;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.RoleGrant;
import dev.boxoffice.backend.model.SessionRevocation;
import dev.boxoffice.backend.store.RoleStore;
import dev.boxoffice.backend.store.SessionRevocationStore;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionRevocations;
import io.vertx.core.Future;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-outs: the caller's own session, every session of the caller, or every session of someone else, by an
 * administrator (anyone) or an organizer (their door staff, past or present). A revocation is stored in PostgreSQL,
 * held by this backend at once and by the others at their next reload ({@link RevocationReloadVerticle#INTERVAL}),
 * and copied to the Lambdas' table before the answer (or, if DynamoDB fails, by the next round of any backend).
 */
public final class SessionService {

  private static final Logger LOG = LoggerFactory.getLogger(SessionService.class);

  private final SessionRevocationStore store;
  private final RoleStore roles;
  private final RevocationReloader reloader;
  private final Clock clock;

  public SessionService(SessionRevocationStore store, RoleStore roles, RevocationReloader reloader, Clock clock) {
    this.store = store;
    this.roles = roles;
    this.reloader = reloader;
    this.clock = clock;
  }

  /** Ends the session of {@code token}; its other sessions go on. */
  public Future<SessionRevocation> signOut(Principal caller, SessionToken token) {
    return held(store.signOut(caller.email(), token.hash(), caller.email(), token.usableUntil()));
  }

  /**
   * Ends every session of {@code email} issued until now: the caller's own, anyone's for an administrator, their door
   * staff's for an organizer. Anyone else's address is as unknown as one nobody uses (404).
   */
  public Future<SessionRevocation> signOutEverywhere(Principal caller, String email) {
    return mayRevoke(caller, email).compose(allowed -> held(store.signOutEverywhere(email, caller.email(),
        clock.instant().plus(SessionRevocations.EVERYWHERE_RETENTION))));
  }

  private Future<Void> mayRevoke(Principal caller, String email) {
    if (caller.email().equals(email) || caller.hasRole(Role.ADMIN)) {
      return Future.succeededFuture();
    }
    if (!caller.hasRole(Role.ORGANIZER)) {
      return Future.failedFuture(new Refusal.NotFound("None of your door staff has this address"));
    }
    return roles.grantsOf(email).compose(grants -> grants.stream()
        .anyMatch(grant -> RoleGrant.STAFF.equals(grant.role())
            && grant.organizerEmail().map(caller.email()::equals).orElse(false))
        ? Future.succeededFuture()
        : Future.failedFuture(new Refusal.NotFound("None of your door staff has this address")));
  }

  /**
   * Held here at once (a reload, which also takes any revocation made elsewhere before it), then copied; a copy that
   * fails is the next round's, and the sign-out stands.
   */
  private Future<SessionRevocation> held(Future<SessionRevocation> stored) {
    return stored.compose(revocation -> reloader.reload()
        .compose(reloaded -> reloader.mirror(revocation)
            .onFailure(failure -> LOG.warn("revocation {} not yet copied to the revoked-sessions table; every backend"
                + " retries within {} s: {}", revocation.version(), RevocationReloadVerticle.INTERVAL.toSeconds(),
                failure.toString()))
            .otherwiseEmpty())
        .map(revocation));
  }
}
