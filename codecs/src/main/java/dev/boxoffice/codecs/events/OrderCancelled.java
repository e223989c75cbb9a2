package dev.boxoffice.codecs.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An order was cancelled (by its organizer or with its event); its tickets can never be checked in. */
public record OrderCancelled(UUID id, Instant occurredAt, UUID orderId, UUID eventId, UUID ticketTypeId,
                             String buyerEmail, List<UUID> ticketIds, String cancelledBy) implements DomainEvent {

  public OrderCancelled {
    requireNonNull(id, "id");
    requireNonNull(occurredAt, "occurredAt");
    requireNonNull(orderId, "orderId");
    requireNonNull(eventId, "eventId");
    requireNonNull(ticketTypeId, "ticketTypeId");
    requireNonNull(buyerEmail, "buyerEmail");
    requireNonNull(cancelledBy, "cancelledBy");
    ticketIds = List.copyOf(requireNonNull(ticketIds, "ticketIds"));
  }

  @Override
  public UUID aggregateId() {
    return orderId;
  }
}
