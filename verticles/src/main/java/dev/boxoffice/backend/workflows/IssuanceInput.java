package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.model.TicketValidity;
import dev.boxoffice.backend.store.IssuanceStore.BatchOrder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.UUID;

/**
 * The input of a batch's ticket-issuance execution, exactly as the state machine documents it:
 * {@code {batchId, chunks}}, each chunk create-ticket's input ({@code CreateTicketsRequest} of codecs): whole orders
 * of one event, about {@value #CHUNK_TICKETS} tickets (an order with more is a chunk alone). Built from the stored
 * rows only, so every start of a batch sends the same.
 */
final class IssuanceInput {

  /** Tickets per create-ticket invocation: enough to spread its start-up and a state transition over many codes. */
  static final int CHUNK_TICKETS = 25;

  private IssuanceInput() {
  }

  static JsonObject of(UUID batchId, List<BatchOrder> orders) {
    JsonArray chunks = new JsonArray();
    JsonObject chunk = null;
    UUID chunkEvent = null;
    int chunkTickets = 0;
    for (BatchOrder order : orders) {
      if (chunk == null || !order.eventId().equals(chunkEvent)
          || chunkTickets + order.ticketIds().size() > CHUNK_TICKETS) {
        chunk = new JsonObject().put("batchId", batchId.toString()).put("event", event(order))
            .put("orders", new JsonArray());
        chunks.add(chunk);
        chunkEvent = order.eventId();
        chunkTickets = 0;
      }
      chunk.getJsonArray("orders").add(order(order));
      chunkTickets += order.ticketIds().size();
    }
    return new JsonObject().put("batchId", batchId.toString()).put("chunks", chunks);
  }

  private static JsonObject event(BatchOrder order) {
    TicketValidity validity = TicketValidity.of(order.startsAt(), order.endsAt());
    return new JsonObject()
        .put("eventId", order.eventId().toString())
        .put("title", order.eventTitle())
        .put("organizerEmail", order.organizerEmail())
        .put("venue", order.venue())
        .put("city", order.city())
        .put("startsAt", order.startsAt().toString())
        .put("endsAt", order.endsAt().toString())
        .put("timeZone", order.timeZone())
        .put("validFrom", validity.validFrom().toString())
        .put("validUntil", validity.validUntil().toString());
  }

  private static JsonObject order(BatchOrder order) {
    JsonArray ticketIds = new JsonArray();
    order.ticketIds().forEach(ticketId -> ticketIds.add(ticketId.toString()));
    return new JsonObject()
        .put("orderId", order.orderId().toString())
        .put("ticketTypeId", order.ticketTypeId().toString())
        .put("buyerEmail", order.buyerEmail())
        .put("ticketIds", ticketIds);
  }
}
