package dev.boxoffice.codecs.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** An organizer published an event: it is on sale and listed. {@code timeZone} is the venue's IANA zone. */
public record EventPublished(UUID id, Instant occurredAt, UUID eventId, String organizerEmail, String title,
                             String category, String city, Instant startsAt, Instant endsAt, String timeZone)
    implements DomainEvent {

  public EventPublished {
    requireNonNull(id, "id");
    requireNonNull(occurredAt, "occurredAt");
    requireNonNull(eventId, "eventId");
    requireNonNull(organizerEmail, "organizerEmail");
    requireNonNull(title, "title");
    requireNonNull(category, "category");
    requireNonNull(city, "city");
    requireNonNull(startsAt, "startsAt");
    requireNonNull(endsAt, "endsAt");
    requireNonNull(timeZone, "timeZone");
  }

  @Override
  public UUID aggregateId() {
    return eventId;
  }
}
