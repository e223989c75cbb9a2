package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One grant of {@code role_grants}: an organizer's (requested, then approved or refused) or door staff's (invited by
 * an organizer, for one of their events or all of them, active once accepted); either may be revoked.
 */
public record RoleGrant(UUID id, String email, String role, Optional<String> organizerEmail, Optional<UUID> eventId,
                        Optional<String> eventTitle, String state, String createdBy, Instant createdAt,
                        Instant changedAt) {

  public static final String ORGANIZER = "organizer";
  public static final String STAFF = "staff";
}
