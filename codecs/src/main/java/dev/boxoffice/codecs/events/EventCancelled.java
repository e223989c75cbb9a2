package dev.boxoffice.codecs.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** An organizer cancelled an event; its orders are cancelled by their own {@link OrderCancelled} events. */
public record EventCancelled(UUID id, Instant occurredAt, UUID eventId, String organizerEmail)
    implements DomainEvent {

  public EventCancelled {
    requireNonNull(id, "id");
    requireNonNull(occurredAt, "occurredAt");
    requireNonNull(eventId, "eventId");
    requireNonNull(organizerEmail, "organizerEmail");
  }

  @Override
  public UUID aggregateId() {
    return eventId;
  }
}
