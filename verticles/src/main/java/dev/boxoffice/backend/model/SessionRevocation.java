package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A revoked session as stored: one session of {@code email} signed out (its token's hash), or, without a hash, every
 * session of theirs issued up to {@code revokedAt} ("sign out everywhere"). Kept until {@code expiresAt}, when no
 * token it refuses can still be valid; {@code version} orders revocations as every backend reads them.
 */
public record SessionRevocation(long version, String email, Optional<String> tokenHash, Instant revokedAt,
                                Instant expiresAt) {

  public SessionRevocation {
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(tokenHash, "tokenHash");
    Objects.requireNonNull(revokedAt, "revokedAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public boolean everywhere() {
    return tokenHash.isEmpty();
  }
}
