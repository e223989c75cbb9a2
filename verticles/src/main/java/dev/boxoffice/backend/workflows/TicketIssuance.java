package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.model.TicketValidity;
import dev.boxoffice.backend.store.IssuanceStore;
import dev.boxoffice.backend.store.IssuanceStore.OrderToIssue;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the ticket-issuance execution of an order and records its ARN on the order. The input is built from the
 * stored rows only, so every start of one order (the OrderPlaced consumer, a replay, the catch-up) sends the same.
 * The window each ticket admits in is the event's {@link TicketValidity}.
 */
final class TicketIssuance {

  private static final Logger LOG = LoggerFactory.getLogger(TicketIssuance.class);

  private final IssuanceStore orders;
  private final StepFunctions stepFunctions;
  private final String stateMachineArn;

  TicketIssuance(IssuanceStore orders, StepFunctions stepFunctions, String stateMachineArn) {
    this.orders = orders;
    this.stepFunctions = stepFunctions;
    this.stateMachineArn = stateMachineArn;
  }

  /**
   * Does nothing for an order whose execution is recorded already, a cancelled order, or an unknown one. The
   * execution continues the trace of {@code traceHeader} (null: none).
   */
  Future<Void> start(UUID orderId, UUID orderPlacedEventId, String traceHeader) {
    return orders.order(orderId).compose(found -> {
      if (found.isEmpty()) {
        LOG.warn("OrderPlaced {} names order {}, which does not exist; no tickets issued", orderPlacedEventId,
            orderId);
        return Future.succeededFuture();
      }
      OrderToIssue order = found.get();
      if (order.executionArn().isPresent() || order.cancelled()) {
        return Future.succeededFuture();
      }
      return stepFunctions.start(stateMachineArn, orderPlacedEventId.toString(), input(orderId, order).encode(),
              traceHeader)
          .compose(executionArn -> orders.recordExecution(orderId, executionArn));
    });
  }

  /** Exactly the input the ticket-issuance state machine documents. */
  private static JsonObject input(UUID orderId, OrderToIssue order) {
    JsonArray ticketIds = new JsonArray();
    order.ticketIds().forEach(ticketId -> ticketIds.add(ticketId.toString()));
    TicketValidity validity = TicketValidity.of(order.startsAt(), order.endsAt());
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("eventId", order.eventId().toString())
        .put("eventTitle", order.eventTitle())
        .put("ticketTypeId", order.ticketTypeId().toString())
        .put("buyerEmail", order.buyerEmail())
        .put("organizerEmail", order.organizerEmail())
        .put("validFrom", validity.validFrom().toString())
        .put("validUntil", validity.validUntil().toString())
        .put("venue", order.venue())
        .put("city", order.city())
        .put("startsAt", order.startsAt().toString())
        .put("endsAt", order.endsAt().toString())
        .put("timeZone", order.timeZone())
        .put("ticketIds", ticketIds);
  }
}
