package dev.boxoffice.codecs.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Input of the create-ticket function: one chunk of an issuance batch, as the ticket-issuance state machine passes it
 * (the backend cuts each batch into chunks of whole orders of one event). {@code organizerEmail} is the event's
 * organizer, who may fetch the QR codes as well as the buyer; {@code validFrom} and {@code validUntil} bound when the
 * tickets admit.
 */
public record CreateTicketsRequest(UUID batchId, Event event, List<Order> orders) {

  /** The event of every order of the chunk, as the tickets and the buyers' emails show it. */
  public record Event(UUID eventId, String title, String organizerEmail, String venue, String city, Instant startsAt,
                      Instant endsAt, String timeZone, Instant validFrom, Instant validUntil) {
  }

  /** An order whose tickets the chunk issues, and whose buyer gets them by email. */
  public record Order(UUID orderId, UUID ticketTypeId, String buyerEmail, List<UUID> ticketIds) {
  }
}
