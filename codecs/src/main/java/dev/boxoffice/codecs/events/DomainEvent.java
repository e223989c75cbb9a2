package dev.boxoffice.codecs.events;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.UUID;

/**
 * Something that happened in the ticketing core, written to the outbox in the same transaction as the change and
 * relayed from there. {@link #id()} identifies this occurrence (consumers deduplicate on it: delivery is at least
 * once); {@link #aggregateId()} names the event or order it belongs to, the unit within which order is kept.
 * The JSON form (see {@link DomainEvents}) carries a {@code type} tag with the record's simple name.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = EventPublished.class, name = "EventPublished"),
    @JsonSubTypes.Type(value = EventCancelled.class, name = "EventCancelled"),
    @JsonSubTypes.Type(value = OrderPlaced.class, name = "OrderPlaced"),
    @JsonSubTypes.Type(value = OrderCancelled.class, name = "OrderCancelled"),
    @JsonSubTypes.Type(value = TicketIssued.class, name = "TicketIssued"),
    @JsonSubTypes.Type(value = HoldExpired.class, name = "HoldExpired"),
    @JsonSubTypes.Type(value = PaymentDeclined.class, name = "PaymentDeclined"),
    @JsonSubTypes.Type(value = PaymentRefunded.class, name = "PaymentRefunded")
})
public sealed interface DomainEvent permits EventPublished, EventCancelled, OrderPlaced, OrderCancelled, TicketIssued,
    HoldExpired, PaymentDeclined, PaymentRefunded {

  UUID id();

  Instant occurredAt();

  UUID aggregateId();

  /** The stable type tag of the JSON form and of the per-type event bus address. */
  default String type() {
    return getClass().getSimpleName();
  }
}
