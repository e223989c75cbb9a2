package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Who did what to a grant, when: a row of {@code role_audit}. */
public record RoleAuditEntry(long id, Instant at, String actor, String action, UUID grantId, String email,
                             String role, Optional<String> organizerEmail, Optional<UUID> eventId) {
}
