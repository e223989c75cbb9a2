package dev.boxoffice.backend.auth;

import java.time.Instant;
import java.util.Objects;

/**
 * The token a request was authenticated with, as a revocation names it: its SHA-256 ({@code hash}, never the token)
 * and until when it could be used ({@code usableUntil}: its expiry plus the clock skew verifiers tolerate).
 */
public record SessionToken(String hash, Instant usableUntil) {

  public SessionToken {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(usableUntil, "usableUntil");
  }
}
