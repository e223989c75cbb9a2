package dev.boxoffice.backend.store;

import dev.boxoffice.backend.db.TimeOrderedIds;
import dev.boxoffice.backend.model.Hold;
import dev.boxoffice.backend.model.PurchaseRequest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A hold decided in a purchase batch, at {@code index} of its requests; paid, it becomes the order of its id. */
record NewHold(int index, UUID id, PurchaseRequest request, Hold held) {

  static NewHold create(int index, PurchaseRequest request, TicketTypeState state, Instant now) {
    UUID id = TimeOrderedIds.next();
    Hold held = new Hold(id, state.eventId(), state.ticketTypeId(), request.buyerEmail(), request.quantity(),
        state.priceMinor(), state.currency(), Hold.Status.ACTIVE, now, now.plus(state.holdDuration()),
        Hold.Payment.NONE, List.of());
    return new NewHold(index, id, request, held);
  }
}
