package dev.boxoffice.backend.model;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * An event's waiting room: who arrives before {@code opensAt} is put in random order at the opening, who comes later
 * joins at the back; {@code admitPerMinute} buyers are let in per minute, and each admission lasts
 * {@code admissionMinutes}.
 */
public record WaitingRoom(UUID eventId, Instant opensAt, int admitPerMinute, int admissionMinutes) {

  public Duration admissionWindow() {
    return Duration.ofMinutes(admissionMinutes);
  }
}
