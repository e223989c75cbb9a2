package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One page, by ticket id, of an event's tickets that no longer admit: cancelled, or used already. {@code next} is the
 * last id of the page when another page may follow; {@code asOf} is when the page was read.
 */
public record DoorTicketList(List<UUID> cancelled, List<UUID> checkedIn, Optional<UUID> next, Instant asOf) {

  public DoorTicketList {
    cancelled = List.copyOf(cancelled);
    checkedIn = List.copyOf(checkedIn);
  }
}
