package dev.boxoffice.backend.workflows;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the ticket-issuance execution of an order and records its ARN on the order. The input is built from the
 * stored rows only, so every start of one order (the OrderPlaced consumer, a replay, the catch-up) sends the same.
 *
 * <p>Ticket validity, the window a QR code admits in: from a day before the event starts (early entry, doors of
 * multi-day venues) until six hours after it ends (late leavers re-entering).
 */
final class TicketIssuance {

  static final Duration VALID_BEFORE_START = Duration.ofDays(1);
  static final Duration VALID_AFTER_END = Duration.ofHours(6);

  private static final Logger LOG = LoggerFactory.getLogger(TicketIssuance.class);
  private static final String ORDER = "SELECT o.status, o.event_id, o.ticket_type_id, o.buyer_email,"
      + " o.issuance_execution_arn, e.title, e.organizer_email, e.starts_at, e.ends_at,"
      + " (SELECT array_agg(k.id ORDER BY k.id) FROM tickets k WHERE k.order_id = o.id) AS ticket_ids"
      + " FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = $1";
  private static final String RECORD_EXECUTION = "UPDATE orders SET issuance_execution_arn = $2,"
      + " issuance_next_check_at = now() + interval '1 second', issuance_checks = 0"
      + " WHERE id = $1 AND issuance_execution_arn IS NULL";

  private final Pool pool;
  private final StepFunctions stepFunctions;
  private final String stateMachineArn;

  TicketIssuance(Pool pool, StepFunctions stepFunctions, String stateMachineArn) {
    this.pool = pool;
    this.stepFunctions = stepFunctions;
    this.stateMachineArn = stateMachineArn;
  }

  /** Does nothing for an order whose execution is recorded already, a cancelled order, or an unknown one. */
  Future<Void> start(UUID orderId, UUID orderPlacedEventId) {
    return pool.preparedQuery(ORDER).execute(Tuple.of(orderId)).compose(rows -> {
      if (rows.size() == 0) {
        LOG.warn("OrderPlaced {} names order {}, which does not exist; no tickets issued", orderPlacedEventId,
            orderId);
        return Future.succeededFuture();
      }
      Row order = rows.iterator().next();
      if (order.getString("issuance_execution_arn") != null || "cancelled".equals(order.getString("status"))) {
        return Future.succeededFuture();
      }
      return stepFunctions.start(stateMachineArn, orderPlacedEventId.toString(), input(orderId, order).encode())
          .compose(executionArn -> pool.preparedQuery(RECORD_EXECUTION).execute(Tuple.of(orderId, executionArn)))
          .mapEmpty();
    });
  }

  /** Exactly the input the ticket-issuance state machine documents. */
  private static JsonObject input(UUID orderId, Row order) {
    Instant startsAt = order.getOffsetDateTime("starts_at").toInstant();
    Instant endsAt = order.getOffsetDateTime("ends_at").toInstant();
    JsonArray ticketIds = new JsonArray();
    UUID[] stored = order.getArrayOfUUIDs("ticket_ids");
    if (stored != null) {
      for (UUID ticketId : stored) {
        ticketIds.add(ticketId.toString());
      }
    }
    return new JsonObject()
        .put("orderId", orderId.toString())
        .put("eventId", order.getUUID("event_id").toString())
        .put("eventTitle", order.getString("title"))
        .put("ticketTypeId", order.getUUID("ticket_type_id").toString())
        .put("buyerEmail", order.getString("buyer_email"))
        .put("organizerEmail", order.getString("organizer_email"))
        .put("validFrom", startsAt.minus(VALID_BEFORE_START).toString())
        .put("validUntil", endsAt.plus(VALID_AFTER_END).toString())
        .put("ticketIds", ticketIds);
  }
}
