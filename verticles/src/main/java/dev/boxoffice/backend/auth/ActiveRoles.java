package dev.boxoffice.backend.auth;

import dev.boxoffice.codecs.session.Role;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * This backend's copy of the active grants, read by every event loop on every request without a query, and the
 * administrators of the configuration. A reloader replaces the copy as {@code role_grants} changes; the session
 * check derives each caller's roles from the copy it finds.
 */
public final class ActiveRoles {

  private final Set<String> administrators;
  private volatile TeamRoles current = TeamRoles.NONE;

  public ActiveRoles(Set<String> administrators) {
    this.administrators = administrators.stream().map(email -> email.trim().toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
  }

  public TeamRoles current() {
    return current;
  }

  /** Takes {@code roles} unless the copy is already at a later version (two reloads may answer out of order). */
  public synchronized void replace(TeamRoles roles) {
    if (roles.version() > current.version()) {
      current = roles;
    }
  }

  public boolean isAdministrator(String email) {
    return administrators.contains(email);
  }

  /** {@code email}'s roles and door scope in {@code roles}: buyer always, the others as granted. */
  public Principal principal(String email, TeamRoles roles) {
    Set<Role> granted = EnumSet.of(Role.BUYER);
    if (roles.isOrganizer(email)) {
      granted.add(Role.ORGANIZER);
    }
    DoorScope door = roles.doorScopeOf(email);
    if (!door.isEmpty()) {
      granted.add(Role.STAFF);
    }
    if (administrators.contains(email)) {
      granted.add(Role.ADMIN);
    }
    return new Principal(email, granted, door);
  }
}
