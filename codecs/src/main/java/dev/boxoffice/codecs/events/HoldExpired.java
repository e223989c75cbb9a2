package dev.boxoffice.codecs.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/** A buyer's hold ran out unpaid; its {@code quantity} tickets went back on sale. */
public record HoldExpired(UUID id, Instant occurredAt, UUID holdId, UUID eventId, UUID ticketTypeId,
                          String buyerEmail, int quantity) implements DomainEvent {

  public HoldExpired {
    requireNonNull(id, "id");
    requireNonNull(occurredAt, "occurredAt");
    requireNonNull(holdId, "holdId");
    requireNonNull(eventId, "eventId");
    requireNonNull(ticketTypeId, "ticketTypeId");
    requireNonNull(buyerEmail, "buyerEmail");
  }

  @Override
  public UUID aggregateId() {
    return holdId;
  }
}
