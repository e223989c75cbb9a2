package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A ticket let in when it should not have been, found when an offline door synced: a second entry of a ticket
 * ({@code DUPLICATE}, with the ticket's first scan beside it), or an entry of a ticket cancelled before the door knew.
 */
public record CheckInConflict(UUID scanId, UUID ticketId, String ticketTypeName, Kind kind, Scan scan,
                             Optional<Scan> firstScan) {

  public enum Kind {
    DUPLICATE, CANCELLED
  }

  /** A scan as the organizer reads it: when, by whom, at which door (when the door was given a name). */
  public record Scan(Instant at, String by, Optional<String> door) {
  }
}
