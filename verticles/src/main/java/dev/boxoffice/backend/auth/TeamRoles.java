package dev.boxoffice.backend.auth;

import java.util.Map;
import java.util.Set;

/**
 * The active grants as of one version of {@code role_grants}: who organizes, and where each member of door staff
 * checks tickets in. Immutable; {@link ActiveRoles} swaps whole copies.
 */
public record TeamRoles(long version, Set<String> organizers, Map<String, DoorScope> doorStaff) {

  /** Before the first load: nobody but the administrators has a role beyond buyer. */
  public static final TeamRoles NONE = new TeamRoles(-1, Set.of(), Map.of());

  public TeamRoles {
    organizers = Set.copyOf(organizers);
    doorStaff = Map.copyOf(doorStaff);
  }

  public boolean isOrganizer(String email) {
    return organizers.contains(email);
  }

  public DoorScope doorScopeOf(String email) {
    return doorStaff.getOrDefault(email, DoorScope.NONE);
  }
}
