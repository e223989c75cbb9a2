package dev.boxoffice.backend.store;

import dev.boxoffice.backend.db.TimeOrderedIds;
import dev.boxoffice.backend.model.Hold;
import dev.boxoffice.backend.model.Refund;
import dev.boxoffice.backend.outbox.Outbox;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.HoldExpired;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Holds after a purchase batch made them: their reads, the buyer's cancel, the sweeper that releases expired ones,
 * and the provider's checkout of each. Every transaction here that changes a hold's tickets locks the ticket type row
 * first and the hold second, the order purchase batches and cancellations follow; the sweeper takes the rows it can
 * without waiting ({@code SKIP LOCKED}), so several backends share the sweeping. A payment's settlement (the hold
 * confirmed into an order, or refunded) is in {@link PaymentStore}.
 */
public final class HoldStore {

  static final String HOLD_COLUMNS = "h.id, h.event_id, h.ticket_type_id, h.buyer_email, h.quantity,"
      + " h.unit_price_minor, h.currency, h.status, h.created_at, h.expires_at, h.checkout_url, h.payment_status,"
      + " h.paid_minor, h.payment_error";
  private static final String HOLDS_BY_ID = "SELECT " + HOLD_COLUMNS + " FROM holds h WHERE h.id = ANY($1)";
  static final String TICKET_TYPE_OF_HOLD = "SELECT ticket_type_id FROM holds WHERE id = $1";
  static final String LOCK_HOLD = "SELECT " + HOLD_COLUMNS + ", h.checkout_id FROM holds h WHERE h.id = $1"
      + " FOR UPDATE";
  // An open checkout of a released hold is due for reconciliation at once: it ends the checkout at the provider.
  private static final String CANCEL = "UPDATE holds SET status = 'cancelled', released_at = now(),"
      + " payment_check_at = CASE WHEN payment_status = 'open' THEN now() ELSE payment_check_at END"
      + " WHERE id = $1 AND status = 'active'";
  static final String RETURN_HELD = "UPDATE ticket_types SET held = held - $2 WHERE id = $1";
  // The sweeper: ticket types with expired holds, by the index on expiry, locked unless a transaction holds them (a
  // purchase batch then releases them itself); then their expired holds.
  private static final String LOCK_DUE_TICKET_TYPES = "SELECT t.id FROM ticket_types t WHERE t.id IN"
      + " (SELECT h.ticket_type_id FROM holds h WHERE h.status = 'active' AND h.expires_at <= now()"
      + " ORDER BY h.expires_at LIMIT 5000) ORDER BY t.id LIMIT 100 FOR UPDATE OF t SKIP LOCKED";
  private static final String RELEASE_EXPIRED = "UPDATE holds h SET status = 'expired', released_at = now(),"
      + " payment_check_at = CASE WHEN h.payment_status = 'open' THEN now() ELSE h.payment_check_at END"
      + " WHERE h.id IN (SELECT id FROM holds WHERE ticket_type_id = ANY($1) AND status = 'active'"
      + " AND expires_at <= now() ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED)"
      + " RETURNING h.id, h.event_id, h.ticket_type_id, h.buyer_email, h.quantity";
  private static final String RETURN_HELD_OF_TYPES = "UPDATE ticket_types t SET held = t.held - r.tickets"
      + " FROM unnest($1::uuid[], $2::int[]) AS r(id, tickets) WHERE t.id = r.id";
  private static final String START_CHECKOUT = "UPDATE holds SET checkout_id = $2, checkout_url = $3,"
      + " payment_status = 'open', payment_check_at = $4"
      + " WHERE id = $1 AND status = 'active' AND (checkout_id IS NULL OR checkout_id = $2)";
  private static final String CHECKOUT_ENDED = "UPDATE holds SET payment_status = 'expired', payment_check_at = NULL"
      + " WHERE checkout_id = $1 AND payment_status = 'open'";
  private static final String CLAIM_PAYMENT_CHECKS = "UPDATE holds h SET payment_check_at = now()"
      + " + make_interval(secs => $2) WHERE h.id IN (SELECT id FROM holds WHERE payment_check_at <= now()"
      + " ORDER BY payment_check_at LIMIT $1 FOR UPDATE SKIP LOCKED)"
      + " RETURNING h.id, h.checkout_id, h.status, h.payment_status, h.expires_at";
  private static final String SCHEDULE_CHECK = "UPDATE holds SET payment_check_at = $2 WHERE id = $1";
  private static final String CHECKOUT_OF_HOLD = "SELECT checkout_id FROM holds WHERE id = $1";
  private static final String CHECKOUT_LABEL = "SELECT t.name, e.title FROM ticket_types t"
      + " JOIN events e ON e.id = t.event_id WHERE t.id = $1";

  /** Tickets an expiry returned to a ticket type. */
  public record Released(UUID ticketTypeId, UUID eventId, int tickets) {
  }

  /** A checkout reconciliation should ask the provider about now. */
  public record PaymentCheck(UUID holdId, String checkoutId, Hold.Status status, Hold.PaymentStatus paymentStatus,
                             Instant expiresAt) {
  }

  private final Pool pool;

  public HoldStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Hold>> hold(UUID holdId) {
    return pool.withConnection(conn -> readHolds(conn, new UUID[] {holdId}))
        .map(holds -> Optional.ofNullable(holds.get(holdId)));
  }

  /** Holds by id with their refunds: two statements, pipelined. */
  static Future<Map<UUID, Hold>> readHolds(SqlConnection conn, UUID[] holdIds) {
    Future<RowSet<Row>> rows = conn.preparedQuery(HOLDS_BY_ID).execute(Tuple.tuple().addValue(holdIds));
    Future<Map<UUID, List<Refund>>> refunds = RefundStore.refundsOf(conn, holdIds);
    return Future.all(rows, refunds).map(both -> {
      Map<UUID, Hold> holds = new HashMap<>();
      rows.result().forEach(row -> holds.put(row.getUUID("id"), hold(row, refunds.result())));
      return holds;
    });
  }

  static Hold hold(Row row, Map<UUID, List<Refund>> refunds) {
    UUID id = row.getUUID("id");
    Hold.PaymentStatus paymentStatus = Hold.PaymentStatus.of(row.getString("payment_status"));
    return new Hold(id, row.getUUID("event_id"), row.getUUID("ticket_type_id"), row.getString("buyer_email"),
        row.getInteger("quantity"), row.getLong("unit_price_minor"), row.getString("currency"),
        Hold.Status.of(row.getString("status")), row.getOffsetDateTime("created_at").toInstant(),
        row.getOffsetDateTime("expires_at").toInstant(),
        new Hold.Payment(paymentStatus, paymentStatus == Hold.PaymentStatus.OPEN ? row.getString("checkout_url") : null,
            row.getLong("paid_minor"), row.getString("payment_error")),
        refunds.getOrDefault(id, List.of()));
  }

  /**
   * The buyer gives the tickets back: an active hold is cancelled and its tickets return to sale; a hold that ended
   * already is answered as it is.
   */
  public Future<Optional<Hold>> cancel(UUID holdId) {
    return pool.withTransaction(conn -> conn.preparedQuery(TICKET_TYPE_OF_HOLD).execute(Tuple.of(holdId))
        .compose(found -> {
          if (found.size() == 0) {
            return Future.succeededFuture(Optional.<Hold>empty());
          }
          UUID ticketTypeId = found.iterator().next().getUUID("ticket_type_id");
          Future<RowSet<Row>> typeLocked = conn.preparedQuery(TicketTypeState.LOCK).execute(Tuple.of(ticketTypeId));
          Future<RowSet<Row>> holdLocked = conn.preparedQuery(LOCK_HOLD).execute(Tuple.of(holdId));
          return Future.all(typeLocked, holdLocked).compose(locked -> {
            Row hold = holdLocked.result().iterator().next();
            if (!"active".equals(hold.getString("status"))) {
              return readHolds(conn, new UUID[] {holdId}).map(holds -> Optional.of(holds.get(holdId)));
            }
            return conn.preparedQuery(CANCEL).execute(Tuple.of(holdId))
                .compose(cancelled -> conn.preparedQuery(RETURN_HELD)
                    .execute(Tuple.of(ticketTypeId, hold.getInteger("quantity"))))
                .compose(returned -> readHolds(conn, new UUID[] {holdId}))
                .map(holds -> Optional.of(holds.get(holdId)));
          });
        }));
  }

  /**
   * One round of the sweeper: releases up to {@code limit} expired holds of the ticket types no transaction holds
   * now, returns their tickets and tells each buyer with a {@link HoldExpired}, in one transaction.
   */
  public Future<List<Released>> releaseExpired(int limit) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_DUE_TICKET_TYPES).execute().compose(types -> {
      if (types.size() == 0) {
        return Future.succeededFuture(List.<Released>of());
      }
      UUID[] ids = new UUID[types.size()];
      int i = 0;
      for (Row row : types) {
        ids[i++] = row.getUUID("id");
      }
      return conn.preparedQuery(RELEASE_EXPIRED).execute(Tuple.tuple().addValue(ids).addValue(limit))
          .compose(released -> returnReleased(conn, released));
    }));
  }

  private static Future<List<Released>> returnReleased(SqlConnection conn, RowSet<Row> released) {
    Instant now = Instant.now();
    Map<UUID, Released> byType = new LinkedHashMap<>();
    List<DomainEvent> events = new ArrayList<>(released.size());
    for (Row row : released) {
      UUID ticketTypeId = row.getUUID("ticket_type_id");
      int tickets = row.getInteger("quantity");
      byType.merge(ticketTypeId, new Released(ticketTypeId, row.getUUID("event_id"), tickets),
          (a, b) -> new Released(a.ticketTypeId(), a.eventId(), a.tickets() + b.tickets()));
      events.add(new HoldExpired(TimeOrderedIds.next(), now, row.getUUID("id"), row.getUUID("event_id"),
          ticketTypeId, row.getString("buyer_email"), tickets));
    }
    if (byType.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    UUID[] typeIds = byType.keySet().toArray(UUID[]::new);
    Integer[] tickets = byType.values().stream().map(Released::tickets).toArray(Integer[]::new);
    return Future.all(conn.preparedQuery(RETURN_HELD_OF_TYPES).execute(Tuple.tuple().addValue(typeIds).addValue(tickets)),
            Outbox.appendAll(conn, events))
        .map(done -> List.copyOf(byType.values()));
  }

  /**
   * Records the provider's checkout of an active hold, due for reconciliation at {@code checkAt}; false when the hold
   * ended meanwhile (or has another checkout), so the caller ends this one.
   */
  public Future<Boolean> checkoutStarted(UUID holdId, String checkoutId, String checkoutUrl, Instant checkAt) {
    return pool.preparedQuery(START_CHECKOUT)
        .execute(Tuple.of(holdId, checkoutId, checkoutUrl, checkAt.atOffset(ZoneOffset.UTC)))
        .map(rows -> rows.rowCount() == 1);
  }

  /** The provider's id of the hold's checkout (null before there is one). */
  public Future<String> checkoutId(UUID holdId) {
    return pool.preparedQuery(CHECKOUT_OF_HOLD).execute(Tuple.of(holdId))
        .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString("checkout_id"));
  }

  /** What the buyer sees they pay for on the provider's page: the ticket type and its event. */
  public Future<String> checkoutLabel(UUID ticketTypeId) {
    return pool.preparedQuery(CHECKOUT_LABEL).execute(Tuple.of(ticketTypeId)).map(rows -> {
      Row row = rows.iterator().next();
      return row.getString("name") + " - " + row.getString("title");
    });
  }

  /** The provider ended a checkout unpaid: nothing more to ask about it. */
  public Future<Void> checkoutEnded(String checkoutId) {
    return pool.preparedQuery(CHECKOUT_ENDED).execute(Tuple.of(checkoutId)).mapEmpty();
  }

  /**
   * Claims up to {@code limit} checkouts due for reconciliation: each is due again after {@code lease} unless
   * {@link #scheduleCheck} is called first, so a backend that dies with a claim leaves it to another.
   */
  public Future<List<PaymentCheck>> claimPaymentChecks(int limit, Duration lease) {
    return pool.preparedQuery(CLAIM_PAYMENT_CHECKS).execute(Tuple.of(limit, (double) lease.toSeconds()))
        .map(rows -> {
          List<PaymentCheck> due = new ArrayList<>();
          for (Row row : rows) {
            due.add(new PaymentCheck(row.getUUID("id"), row.getString("checkout_id"),
                Hold.Status.of(row.getString("status")), Hold.PaymentStatus.of(row.getString("payment_status")),
                row.getOffsetDateTime("expires_at").toInstant()));
          }
          return due;
        });
  }

  /** When reconciliation should next ask about a hold's checkout; null: never again. */
  public Future<Void> scheduleCheck(UUID holdId, Instant at) {
    OffsetDateTime when = at == null ? null : at.atOffset(ZoneOffset.UTC);
    return pool.preparedQuery(SCHEDULE_CHECK).execute(Tuple.of(holdId, when)).mapEmpty();
  }
}
