package dev.boxoffice.backend.auth;

import java.util.Map;
import java.util.Set;

/**
 * The active grants as of one version of {@code role_grants}: who organizes, where each member of door staff checks
 * tickets in, and who has an invitation waiting (so that a sign-in without one costs no query). Immutable;
 * {@link ActiveRoles} swaps whole copies.
 */
public record TeamRoles(long version, Set<String> organizers, Map<String, DoorScope> doorStaff, Set<String> invited) {

  /** Before the first load: nobody but the administrators has a role beyond buyer. */
  public static final TeamRoles NONE = new TeamRoles(-1, Set.of(), Map.of(), Set.of());

  public TeamRoles {
    organizers = Set.copyOf(organizers);
    doorStaff = Map.copyOf(doorStaff);
    invited = Set.copyOf(invited);
  }

  /** Without invitations. */
  public TeamRoles(long version, Set<String> organizers, Map<String, DoorScope> doorStaff) {
    this(version, organizers, doorStaff, Set.of());
  }

  public boolean isInvited(String email) {
    return invited.contains(email);
  }

  public boolean isOrganizer(String email) {
    return organizers.contains(email);
  }

  public DoorScope doorScopeOf(String email) {
    return doorStaff.getOrDefault(email, DoorScope.NONE);
  }
}
