package dev.boxoffice.backend.store;

import dev.boxoffice.backend.db.TimeOrderedIds;
import dev.boxoffice.backend.model.Order;
import dev.boxoffice.backend.model.PurchaseRequest;
import dev.boxoffice.backend.model.Ticket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * An order decided in a purchase batch, at {@code index} of its requests. Its ids are {@link TimeOrderedIds} (74
 * random bits from SecureRandom after the millisecond); ticket ids are listed in PostgreSQL's uuid order so a replay
 * read back lists them the same way.
 */
record NewOrder(int index, UUID id, PurchaseRequest request, List<UUID> ticketIds, Order placed) {

  static NewOrder create(int index, PurchaseRequest request, TicketTypeState state, Instant now) {
    return create(index, TimeOrderedIds.next(), request, state, now);
  }

  /** The order a paid hold becomes: it keeps the hold's id. */
  static NewOrder create(int index, UUID orderId, PurchaseRequest request, TicketTypeState state, Instant now) {
    List<UUID> ticketIds = new ArrayList<>(request.quantity());
    for (int i = 0; i < request.quantity(); i++) {
      ticketIds.add(TimeOrderedIds.next());
    }
    ticketIds.sort(Comparator.comparing(UUID::toString));
    List<Ticket> tickets = new ArrayList<>(ticketIds.size());
    ticketIds.forEach(id -> tickets.add(new Ticket(id, orderId, state.eventId(), state.ticketTypeId(),
        Ticket.Status.VALID, now, Ticket.QrStatus.PENDING, null)));
    Order placed = new Order(orderId, state.eventId(), state.ticketTypeId(), request.buyerEmail(), request.quantity(),
        state.priceMinor(), state.currency(), Order.Status.PLACED, now, null, tickets);
    return new NewOrder(index, orderId, request, List.copyOf(ticketIds), placed);
  }
}
