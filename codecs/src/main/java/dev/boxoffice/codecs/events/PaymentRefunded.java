package dev.boxoffice.codecs.events;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.UUID;

/**
 * The payment provider refunded {@code amountMinor} (minor units of {@code currency}) of a buyer's payment for
 * {@code tickets} tickets. {@code reason}: order_cancelled, event_cancelled, ticket_cancelled, payment_too_late (the
 * hold had expired and its tickets were sold meanwhile), amount_mismatch or over_buyer_limit (the hold had expired
 * and the buyer took the event's per-buyer limit meanwhile). {@code orderId} is null when the payment never became
 * an order.
 */
public record PaymentRefunded(UUID id, Instant occurredAt, UUID refundId, UUID holdId, UUID orderId, UUID eventId,
                              String buyerEmail, long amountMinor, String currency, int tickets, String reason)
    implements DomainEvent {

  public PaymentRefunded {
    requireNonNull(id, "id");
    requireNonNull(occurredAt, "occurredAt");
    requireNonNull(refundId, "refundId");
    requireNonNull(holdId, "holdId");
    requireNonNull(eventId, "eventId");
    requireNonNull(buyerEmail, "buyerEmail");
    requireNonNull(currency, "currency");
    requireNonNull(reason, "reason");
  }

  @Override
  public UUID aggregateId() {
    return holdId;
  }
}
