package dev.boxoffice.backend.auth;

import dev.boxoffice.codecs.session.Role;
import java.util.Objects;
import java.util.Set;

/**
 * The verified caller of a request: the session's email (lower-case), its roles as the grants stand now (not as the
 * token claimed them) and, for door staff, where they check tickets in.
 */
public record Principal(String email, Set<Role> roles, DoorScope door) {

  public Principal {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(door, "door");
    roles = Set.copyOf(roles);
  }

  public Principal(String email, Set<Role> roles) {
    this(email, roles, DoorScope.NONE);
  }

  public boolean hasRole(Role role) {
    return roles.contains(role);
  }
}
