package dev.boxoffice.codecs.session;

import java.util.Locale;

/** What a session may do; written lower-case in the token's {@code roles} claim. */
public enum Role {
  BUYER,
  ORGANIZER,
  /** Door staff: may check tickets in at the events of the organizers they work for (the backend's mapping). */
  STAFF,
  /**
   * Approves organizers. The backend gives it to the addresses of {@code BOXOFFICE_ADMIN_EMAILS} whatever a token
   * says; no issuer puts it in a token.
   */
  ADMIN;

  public String claimValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named by a {@code roles} claim entry, or an {@link IllegalArgumentException} for any other text. */
  public static Role fromClaim(String value) {
    for (Role role : values()) {
      if (role.claimValue().equals(value)) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role '" + value + "'");
  }
}
