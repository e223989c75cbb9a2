package dev.boxoffice.codecs.api;

import java.util.List;
import java.util.UUID;

/**
 * What one chunk of an issuance batch came to, as the ticket-issuance state machine publishes it to the issuance
 * outcome topic for the backend: the orders whose tickets have their QR codes ({@code issued}, create-ticket's
 * output) or the orders that got none ({@code failed}, written by the state machine when create-ticket failed past
 * its retries, with the {@code error}).
 */
public record IssuanceOutcome(UUID batchId, List<IssuedOrder> issued, List<UUID> failed, String error) {

  /** An order's tickets with where each QR code lies. */
  public record IssuedOrder(UUID orderId, List<TicketQrCode> tickets) {
  }
}
