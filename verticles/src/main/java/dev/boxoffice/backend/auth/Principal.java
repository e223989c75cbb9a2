package dev.boxoffice.backend.auth;

import dev.boxoffice.codecs.session.Role;
import java.util.Objects;
import java.util.Set;

/** The verified caller of a request: the session's email (lower-case) and roles. */
public record Principal(String email, Set<Role> roles) {

  public Principal {
    Objects.requireNonNull(email, "email");
    roles = Set.copyOf(roles);
  }

  public boolean hasRole(Role role) {
    return roles.contains(role);
  }
}
