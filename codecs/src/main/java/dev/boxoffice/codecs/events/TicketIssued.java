package dev.boxoffice.codecs.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * One ticket of an order exists and admits its holder between {@code validFrom} and {@code validUntil}. Purchases no
 * longer write it ({@link OrderPlaced} lists an order's tickets and starts their issuance); it stays readable so
 * that outbox rows written by earlier versions still relay, instead of holding the outbox at a row it cannot read.
 */
public record TicketIssued(UUID id, Instant occurredAt, UUID ticketId, UUID orderId, UUID eventId,
                           UUID ticketTypeId, String buyerEmail, Instant validFrom, Instant validUntil)
    implements DomainEvent {

  public TicketIssued {
    requireNonNull(id, "id");
    requireNonNull(occurredAt, "occurredAt");
    requireNonNull(ticketId, "ticketId");
    requireNonNull(orderId, "orderId");
    requireNonNull(eventId, "eventId");
    requireNonNull(ticketTypeId, "ticketTypeId");
    requireNonNull(buyerEmail, "buyerEmail");
    requireNonNull(validFrom, "validFrom");
    requireNonNull(validUntil, "validUntil");
  }

  /** A ticket belongs to its order: issued after the order was placed, ordered with its cancellation. */
  @Override
  public UUID aggregateId() {
    return orderId;
  }
}
