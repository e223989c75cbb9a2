package dev.boxoffice.backend.store;

import java.util.List;
import java.util.UUID;

/** An order a transaction just cancelled, with the ids of its tickets, voided with it. */
public record CancelledOrder(UUID orderId, UUID eventId, UUID ticketTypeId, String buyerEmail, List<UUID> ticketIds) {

  public CancelledOrder {
    ticketIds = List.copyOf(ticketIds);
  }
}
