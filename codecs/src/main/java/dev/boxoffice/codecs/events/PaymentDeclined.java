package dev.boxoffice.codecs.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * The payment provider declined a payment for a hold, with the reason it gave the buyer ({@code message}); the hold
 * stays until it expires, so the buyer may pay with another card.
 */
public record PaymentDeclined(UUID id, Instant occurredAt, UUID holdId, UUID eventId, String buyerEmail,
                              String message) implements DomainEvent {

  public PaymentDeclined {
    requireNonNull(id, "id");
    requireNonNull(occurredAt, "occurredAt");
    requireNonNull(holdId, "holdId");
    requireNonNull(eventId, "eventId");
    requireNonNull(buyerEmail, "buyerEmail");
    requireNonNull(message, "message");
  }

  @Override
  public UUID aggregateId() {
    return holdId;
  }
}
