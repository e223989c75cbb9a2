package dev.boxoffice.backend.store;

import dev.boxoffice.backend.model.PurchaseRequest;
import dev.boxoffice.backend.model.Refund;
import dev.boxoffice.backend.outbox.Outbox;
import dev.boxoffice.codecs.events.PaymentDeclined;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a payment does to its hold, decided in one transaction under the ticket type's lock and the hold's (the
 * order every sale follows): a paid hold becomes the order of the same id ({@code OrderPlaced}, then issuance as for
 * any order); a payment that arrives after the hold ran out still gets its tickets when they are there and the buyer
 * stays within the event's per-buyer limit, and is refunded whole otherwise; a payment whose amount is not the hold's
 * is refunded. The provider's event id, when the news came as one, is recorded in the same transaction, so a webhook
 * delivered twice acts once.
 */
public final class PaymentStore {

  private static final String RECORD_EVENT = "INSERT INTO payment_events (provider_event_id, type) VALUES ($1, $2)"
      + " ON CONFLICT DO NOTHING";
  private static final String CONFIRM = "UPDATE holds SET status = 'confirmed', payment_status = 'paid',"
      + " payment_id = $2, paid_minor = $3, payment_check_at = NULL, payment_error = NULL WHERE id = $1";
  private static final String PAID_UNCONFIRMED = "UPDATE holds SET payment_status = 'paid', payment_id = $2,"
      + " paid_minor = $3, payment_check_at = NULL,"
      + " status = CASE WHEN status = 'active' THEN 'cancelled' ELSE status END,"
      + " released_at = COALESCE(released_at, now()) WHERE id = $1";
  private static final String TAKE = "UPDATE ticket_types SET sold = sold + $2, held = held - $3 WHERE id = $1";
  private static final String DECLINED = "UPDATE holds SET payment_error = $2 WHERE id = $1 AND status = 'active'"
      + " RETURNING event_id, buyer_email";

  /** A payment the provider says succeeded, in minor units of {@code currency} (ISO 4217, any case). */
  public record Payment(UUID holdId, String paymentId, long amountMinor, String currency) {
  }

  /**
   * confirmed: the hold is now an order (late ones too); refunding: the money goes back ({@code reason}); settled:
   * this payment was acted on already; unknown: no such hold.
   */
  public enum Outcome { CONFIRMED, REFUNDING, SETTLED, UNKNOWN }

  /** What a settlement did, and to which ticket type and event (whose cached pages change). */
  public record Settlement(Outcome outcome, UUID ticketTypeId, UUID eventId, Refund.Reason reason) {
  }

  private final Pool pool;

  public PaymentStore(Pool pool) {
    this.pool = pool;
  }

  /** Settles {@code payment}; {@code providerEventId} (may be null) is recorded so the same news acts once. */
  public Future<Settlement> settle(Payment payment, String providerEventId, String eventType) {
    return pool.withTransaction(conn -> conn.preparedQuery(HoldStore.TICKET_TYPE_OF_HOLD)
        .execute(Tuple.of(payment.holdId()))
        .compose(found -> found.size() == 0
            ? Future.succeededFuture(new Settlement(Outcome.UNKNOWN, null, null, null))
            : settleLocked(conn, payment, found.iterator().next().getUUID("ticket_type_id"), providerEventId,
                eventType)));
  }

  private Future<Settlement> settleLocked(SqlConnection conn, Payment payment, UUID ticketTypeId,
                                          String providerEventId, String eventType) {
    Future<RowSet<Row>> type = conn.preparedQuery(TicketTypeState.LOCK).execute(Tuple.of(ticketTypeId));
    Future<RowSet<Row>> hold = conn.preparedQuery(HoldStore.LOCK_HOLD).execute(Tuple.of(payment.holdId()));
    Future<Boolean> fresh = recordEvent(conn, providerEventId, eventType);
    return Future.all(type, hold, fresh).compose(locked -> {
      TicketTypeState state = TicketTypeState.of(ticketTypeId, type.result().iterator().next());
      Row held = hold.result().iterator().next();
      if (!fresh.result() || "paid".equals(held.getString("payment_status"))) {
        return settled(Outcome.SETTLED, state, null);
      }
      long due = held.getLong("unit_price_minor") * held.getInteger("quantity");
      if (payment.amountMinor() != due || !payment.currency().equalsIgnoreCase(held.getString("currency"))) {
        return refund(conn, payment, held, state, Refund.Reason.AMOUNT_MISMATCH);
      }
      int quantity = held.getInteger("quantity");
      boolean active = "active".equals(held.getString("status"));
      if (active && held.getOffsetDateTime("expires_at").toInstant().isAfter(Instant.now())) {
        return confirm(conn, payment, held, state, quantity);
      }
      if (!active && (state.eventCancelled() || state.remaining(0) < quantity)) {
        return refund(conn, payment, held, state, Refund.Reason.PAYMENT_TOO_LATE);
      }
      return confirmLate(conn, payment, held, state, active ? quantity : 0);
    });
  }

  /**
   * A payment for a hold past its expiry (released already, or still active until the sweeper comes), its tickets
   * still there: they are the buyer's unless that takes the buyer over the event's per-buyer limit (a hold counts no
   * more once it expired), checked under the buyer's lock as purchase batches do.
   */
  private static Future<Settlement> confirmLate(SqlConnection conn, Payment payment, Row held, TicketTypeState state,
                                                int fromHeld) {
    String buyer = held.getString("buyer_email");
    return BuyerAllowances.lockAndCount(conn, state.ticketTypeId(), List.of(buyer), payment.holdId())
        .compose(taken -> held.getInteger("quantity") <= state.allowance(taken.getOrDefault(buyer, 0))
            ? confirm(conn, payment, held, state, fromHeld)
            : refund(conn, payment, held, state, Refund.Reason.OVER_BUYER_LIMIT));
  }

  /** The hold becomes the order of its id; {@code fromHeld} of its tickets were still held (0 for a late one). */
  private static Future<Settlement> confirm(SqlConnection conn, Payment payment, Row held, TicketTypeState state,
                                            int fromHeld) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    int quantity = held.getInteger("quantity");
    PurchaseRequest asked = new PurchaseRequest(state.ticketTypeId(), held.getString("buyer_email"),
        "hold:" + payment.holdId(), quantity, true, null, null);
    NewOrder order = NewOrder.create(0, payment.holdId(), asked, state, now);
    OrderWriter.Written written = OrderWriter.write(conn, state, List.of(order), now);
    return Future.all(
            conn.preparedQuery(CONFIRM).execute(Tuple.of(payment.holdId(), payment.paymentId(),
                payment.amountMinor())),
            written.inserted(),
            conn.preparedQuery(TAKE).execute(Tuple.of(state.ticketTypeId(), quantity, fromHeld)),
            Outbox.appendAll(conn, written.placed()))
        .compose(done -> settled(Outcome.CONFIRMED, state, null));
  }

  /** The payment is recorded on the hold and all of it goes back; an active hold ends and its tickets return. */
  private static Future<Settlement> refund(SqlConnection conn, Payment payment, Row held, TicketTypeState state,
                                           Refund.Reason reason) {
    boolean active = "active".equals(held.getString("status"));
    return conn.preparedQuery(PAID_UNCONFIRMED)
        .execute(Tuple.of(payment.holdId(), payment.paymentId(), payment.amountMinor()))
        .compose(paid -> RefundStore.refundHold(conn, payment.holdId(), reason))
        .compose(refunded -> active
            ? conn.preparedQuery(HoldStore.RETURN_HELD)
                .execute(Tuple.of(state.ticketTypeId(), held.getInteger("quantity"))).mapEmpty()
            : Future.succeededFuture())
        .compose(returned -> settled(Outcome.REFUNDING, state, reason));
  }

  private static Future<Settlement> settled(Outcome outcome, TicketTypeState state, Refund.Reason reason) {
    return Future.succeededFuture(new Settlement(outcome, state.ticketTypeId(), state.eventId(), reason));
  }

  /**
   * The provider refused a card for an active hold: its reason is kept for the buyer's page and told to them by a
   * {@link PaymentDeclined}. The hold stays: another card may still pay before it runs out.
   */
  public Future<Optional<PaymentDeclined>> declined(UUID holdId, String message, String providerEventId,
                                                    String eventType) {
    return pool.withTransaction(conn -> recordEvent(conn, providerEventId, eventType).compose(fresh -> !fresh
        ? Future.succeededFuture(Optional.<PaymentDeclined>empty())
        : conn.preparedQuery(DECLINED).execute(Tuple.of(holdId, message)).compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(Optional.<PaymentDeclined>empty());
          }
          Row row = rows.iterator().next();
          PaymentDeclined event = new PaymentDeclined(UUID.randomUUID(), Instant.now(), holdId,
              row.getUUID("event_id"), row.getString("buyer_email"), message);
          return Outbox.append(conn, event).map(Optional.of(event));
        })));
  }

  /** Whether this is the first time the provider event is seen (always, when the news came without one). */
  private static Future<Boolean> recordEvent(SqlConnection conn, String providerEventId, String eventType) {
    if (providerEventId == null) {
      return Future.succeededFuture(true);
    }
    return conn.preparedQuery(RECORD_EVENT).execute(Tuple.of(providerEventId, eventType))
        .map(rows -> rows.rowCount() == 1);
  }
}
