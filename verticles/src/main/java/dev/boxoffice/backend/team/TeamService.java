package dev.boxoffice.backend.team;

import dev.boxoffice.backend.auth.ActiveRoles;
import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.RoleAuditEntry;
import dev.boxoffice.backend.model.RoleGrant;
import dev.boxoffice.backend.store.RoleStore;
import dev.boxoffice.codecs.session.Role;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Roles granted in the application: buyers ask to organize and administrators decide, organizers invite and revoke
 * their door staff, invitees accept by signing in. Each change reloads this backend's copy of the grants at once;
 * the other backends reload within {@link RoleReloadVerticle#INTERVAL}.
 */
public final class TeamService {

  /** The audit rows a page shows: the latest ones; older rows stay in the table. */
  public static final int AUDIT_ROWS = 100;

  private final RoleStore store;
  private final RoleReloader reloader;
  private final ActiveRoles roles;

  public TeamService(RoleStore store, RoleReloader reloader, ActiveRoles roles) {
    this.store = store;
    this.reloader = reloader;
    this.roles = roles;
  }

  /**
   * The caller's roles once their invitations, if this backend's copy knows of any, are accepted: what signing in and
   * each page load do. Without an invitation waiting it reads nothing from the database.
   */
  public Future<Principal> signedIn(Principal caller) {
    if (!roles.current().isInvited(caller.email())) {
      return Future.succeededFuture(caller);
    }
    return store.accept(caller.email())
        .compose(accepted -> reloader.reload())
        .map(reloaded -> roles.principal(caller.email(), roles.current()));
  }

  /** The caller's roles now, with their grants (their request to organize, their teams). */
  public Future<Me> me(String email) {
    return store.grantsOf(email).map(grants -> new Me(roles.principal(email, roles.current()), grants));
  }

  public record Me(Principal principal, List<RoleGrant> grants) {
  }

  public Future<RoleGrant> requestOrganizer(Principal caller) {
    if (caller.hasRole(Role.ORGANIZER)) {
      return Future.failedFuture(new Refusal.AlreadyGranted("You organize already"));
    }
    return store.requestOrganizer(caller.email());
  }

  public Future<List<RoleGrant>> organizerGrants() {
    return store.organizerGrants();
  }

  public Future<RoleGrant> approve(Principal administrator, UUID grantId) {
    return reloaded(store.decide(administrator.email(), grantId, true));
  }

  public Future<RoleGrant> refuse(Principal administrator, UUID grantId) {
    return store.decide(administrator.email(), grantId, false);
  }

  public Future<RoleGrant> revokeOrganizer(Principal administrator, UUID grantId) {
    return reloaded(store.revokeOrganizer(administrator.email(), grantId));
  }

  public Future<List<RoleAuditEntry>> organizerAudit() {
    return store.organizerAudit(AUDIT_ROWS);
  }

  public Future<List<RoleGrant>> team(Principal organizer) {
    return store.team(organizer.email());
  }

  /** Invites {@code email} to check tickets in at one of the organizer's events, or at all of them. */
  public Future<RoleGrant> invite(Principal organizer, String email, Optional<UUID> eventId) {
    if (email.equals(organizer.email())) {
      return Future.failedFuture(new Refusal.AlreadyGranted("You check tickets in at your own events already"));
    }
    return reloaded(store.invite(organizer.email(), email, eventId));
  }

  public Future<RoleGrant> revokeStaff(Principal organizer, UUID grantId) {
    return reloaded(store.revokeStaff(organizer.email(), grantId));
  }

  public Future<List<RoleAuditEntry>> teamAudit(Principal organizer) {
    return store.teamAudit(organizer.email(), AUDIT_ROWS);
  }

  private Future<RoleGrant> reloaded(Future<RoleGrant> change) {
    return change.compose(grant -> reloader.reload().map(grant));
  }
}
