package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.UUID;

/** A ticket let in at the door: the first scan of a valid ticket. */
public record CheckedIn(UUID ticketId, UUID eventId, String ticketTypeName, Instant checkedInAt) {
}
