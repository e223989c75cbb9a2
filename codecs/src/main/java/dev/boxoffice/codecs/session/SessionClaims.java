package dev.boxoffice.codecs.session;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a session token asserts: who ({@code sub}, an email, stored lower-case), what they may do ({@code roles}),
 * when it was issued and until when it holds ({@code iat}, {@code exp}, whole seconds), who issued it for whom
 * ({@code iss}, {@code aud}).
 */
public record SessionClaims(String subject, Set<Role> roles, Instant issuedAt, Instant expiresAt, String issuer,
                            String audience) {

  public SessionClaims {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(roles, "roles");
    Objects.requireNonNull(issuedAt, "issuedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    if (subject.isBlank()) {
      throw new IllegalArgumentException("subject must not be blank");
    }
    if (roles.isEmpty()) {
      throw new IllegalArgumentException("a session carries at least one role");
    }
    subject = subject.trim().toLowerCase(Locale.ROOT);
    roles = Set.copyOf(EnumSet.copyOf(roles));
    // JWT times are whole seconds; truncating here makes a claim equal to itself after a round trip.
    issuedAt = Instant.ofEpochSecond(issuedAt.getEpochSecond());
    expiresAt = Instant.ofEpochSecond(expiresAt.getEpochSecond());
    if (!expiresAt.isAfter(issuedAt)) {
      throw new IllegalArgumentException("expiresAt must be after issuedAt");
    }
  }

  public boolean hasRole(Role role) {
    return roles.contains(role);
  }
}
