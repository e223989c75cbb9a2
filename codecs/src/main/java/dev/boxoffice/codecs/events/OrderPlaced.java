package dev.boxoffice.codecs.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A buyer bought {@code quantity} tickets of one type; {@code totalMinor} is in minor units of {@code currency}. */
public record OrderPlaced(UUID id, Instant occurredAt, UUID orderId, UUID eventId, UUID ticketTypeId,
                          String buyerEmail, List<UUID> ticketIds, int quantity, long totalMinor, String currency,
                          Instant placedAt) implements DomainEvent {

  public OrderPlaced {
    requireNonNull(id, "id");
    requireNonNull(occurredAt, "occurredAt");
    requireNonNull(orderId, "orderId");
    requireNonNull(eventId, "eventId");
    requireNonNull(ticketTypeId, "ticketTypeId");
    requireNonNull(buyerEmail, "buyerEmail");
    requireNonNull(currency, "currency");
    requireNonNull(placedAt, "placedAt");
    ticketIds = List.copyOf(requireNonNull(ticketIds, "ticketIds"));
  }

  @Override
  public UUID aggregateId() {
    return orderId;
  }
}
