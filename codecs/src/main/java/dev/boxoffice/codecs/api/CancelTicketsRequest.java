package dev.boxoffice.codecs.api;

import java.util.List;
import java.util.UUID;

/**
 * Input of the cancel-tickets function: the tickets of an order the backend cancelled, as the ticket-cancellation
 * state machine passes it. The buyer and the event's organizer are the two who may still learn that a ticket was
 * cancelled; anybody else is told nothing about it.
 */
public record CancelTicketsRequest(UUID orderId, UUID eventId, String buyerEmail, String organizerEmail,
                                   List<UUID> ticketIds) {
}
