package dev.boxoffice.codecs.api;

import java.time.Instant;
import java.util.UUID;

/**
 * Input of the create-ticket function: one ticket the backend issued, as the ticket-issuance state machine passes it.
 * {@code organizerEmail} is the event's organizer, who may fetch the QR code as well as the buyer.
 */
public record CreateTicketRequest(UUID ticketId, UUID orderId, UUID eventId, UUID ticketTypeId, String buyerEmail,
                                  String organizerEmail, Instant validFrom, Instant validUntil) {
}
