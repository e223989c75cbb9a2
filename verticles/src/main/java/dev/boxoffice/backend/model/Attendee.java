package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One ticket of an event as its organizer lists it: who bought it (Boxoffice knows buyers by email only), of which
 * type, at what price, and whether it was used at the door.
 */
public record Attendee(UUID ticketId, UUID orderId, String buyerEmail, UUID ticketTypeId, String ticketTypeName,
                       long unitPriceMinor, String currency, Ticket.Status status, Instant issuedAt,
                       Optional<Instant> checkedInAt) {
}
