package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.store.IssuanceStore;
import dev.boxoffice.backend.store.IssuanceStore.OrderTickets;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the ticket-cancellation execution of a cancelled order, which marks its tickets so that /get-qr-code refuses
 * them. The execution is named after the OrderCancelled event and its input is built from the stored rows only, so
 * every start of one cancellation (the consumer, a replay, the catch-up) names and sends the same, and Step Functions
 * runs it once.
 */
final class TicketCancellation {

  private static final Logger LOG = LoggerFactory.getLogger(TicketCancellation.class);

  private final IssuanceStore orders;
  private final StepFunctions stepFunctions;
  private final String stateMachineArn;

  TicketCancellation(IssuanceStore orders, StepFunctions stepFunctions, String stateMachineArn) {
    this.orders = orders;
    this.stepFunctions = stepFunctions;
    this.stateMachineArn = stateMachineArn;
  }

  /**
   * Does nothing for an order that does not exist or is not cancelled: there is nothing of it to refuse. The
   * execution continues the trace of {@code traceHeader} (null: none).
   */
  Future<Void> start(UUID orderId, UUID orderCancelledEventId, String traceHeader) {
    return orders.order(orderId).compose(found -> {
      if (found.isEmpty() || !found.get().cancelled() || found.get().ticketIds().isEmpty()) {
        LOG.warn("OrderCancelled {} names order {}, which is not a cancelled order with tickets; nothing to refuse",
            orderCancelledEventId, orderId);
        return Future.succeededFuture();
      }
      return stepFunctions.start(stateMachineArn, orderCancelledEventId.toString(),
          input(orderId, found.get()).encode(), traceHeader).mapEmpty();
    });
  }

  /** Exactly the input the ticket-cancellation state machine documents. */
  private static JsonObject input(UUID orderId, OrderTickets order) {
    JsonArray ticketIds = new JsonArray();
    order.ticketIds().forEach(ticketId -> ticketIds.add(ticketId.toString()));
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("eventId", order.eventId().toString())
        .put("buyerEmail", order.buyerEmail())
        .put("organizerEmail", order.organizerEmail())
        .put("ticketIds", ticketIds);
  }
}
