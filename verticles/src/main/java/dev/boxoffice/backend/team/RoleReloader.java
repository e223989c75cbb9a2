package dev.boxoffice.backend.team;

import dev.boxoffice.backend.auth.ActiveRoles;
import dev.boxoffice.backend.store.RoleStore;
import io.vertx.core.Future;

/** Brings this backend's copy of the active grants to the database's version: one one-row query when unchanged. */
public final class RoleReloader {

  private final RoleStore store;
  private final ActiveRoles roles;

  public RoleReloader(RoleStore store, ActiveRoles roles) {
    this.store = store;
    this.roles = roles;
  }

  public Future<Void> reload() {
    return store.activeSince(roles.current().version()).map(changed -> {
      changed.ifPresent(roles::replace);
      return null;
    });
  }
}
