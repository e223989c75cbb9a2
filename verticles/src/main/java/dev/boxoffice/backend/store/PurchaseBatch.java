package dev.boxoffice.backend.store;

import dev.boxoffice.backend.db.TimeOrderedIds;
import dev.boxoffice.backend.model.Hold;
import dev.boxoffice.backend.model.Order;
import dev.boxoffice.backend.model.PurchaseAnswer;
import dev.boxoffice.backend.model.PurchaseRequest;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.outbox.Outbox;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.HoldExpired;
import dev.boxoffice.codecs.events.OrderPlaced;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One transaction for many purchases of one ticket type: the ticket type row is locked once (its event row shared,
 * so an event cancellation waits for batches in flight and batches after it see it), the type's expired holds are
 * released under that lock (their tickets sell again in this very batch), the batch's buyers are locked and counted
 * when the event has a per-buyer limit ({@link BuyerAllowances}), a request without an admission to the event's
 * waiting room (when it has one) is refused, every request is decided in arrival order against
 * what remains, and the orders (free tickets) or holds (priced ones), idempotency keys and outbox events of all of
 * them are written with one multi-row statement each. Either all of it commits or none of it does. The refusals it
 * decides (sold out, sales closed, over the per-order maximum or the buyer's limit, a reused key, a hold of free
 * tickets or a purchase of paid ones) are answers, not failures: a batch fails only when its transaction does.
 *
 * <p>Longer than most classes on purpose: every step of the one transaction that holds the hottest row lock is here,
 * so its statements, their pipelining and the decisions between them read in one place.
 */
public final class PurchaseBatch {

  // One primary-key probe per request, whatever the statistics say. A plain join of unnest() with the table is
  // planned as a hash join over a sequential scan while the table is small, and the prepared statement keeps that
  // plan as the table grows by thousands of keys a second during a rush (seen: 50 million rows read in one sale).
  static final String KNOWN_KEYS = "SELECT r.buyer_email, r.key, i.request_hash, i.order_id, i.hold_id"
      + " FROM unnest($1::text[], $2::text[]) AS r(buyer_email, key) CROSS JOIN LATERAL (SELECT request_hash,"
      + " order_id, hold_id FROM idempotency_keys k WHERE k.buyer_email = r.buyer_email AND k.key = r.key LIMIT 1) i";
  // Holds of this ticket type that ran out: released under the row lock the batch holds anyway. SKIP LOCKED: a hold
  // locked now is being confirmed or cancelled by a transaction that waits for nothing of ours.
  static final String RELEASE_EXPIRED = "UPDATE holds h SET status = 'expired', released_at = now(),"
      + " payment_check_at = CASE WHEN h.payment_status = 'open' THEN now() ELSE h.payment_check_at END"
      + " WHERE h.id IN (SELECT id FROM holds WHERE ticket_type_id = $1 AND status = 'active' AND expires_at <= now()"
      + " ORDER BY expires_at LIMIT 5000 FOR UPDATE SKIP LOCKED)"
      + " RETURNING h.id, h.event_id, h.ticket_type_id, h.buyer_email, h.quantity";
  private static final String INSERT_HOLDS = "INSERT INTO holds (id, ticket_type_id, event_id, buyer_email, quantity,"
      + " unit_price_minor, currency, created_at, expires_at)"
      + " SELECT h.id, $1, $2, h.buyer_email, h.quantity, $3, $4, $5, $6"
      + " FROM unnest($7::uuid[], $8::text[], $9::int[]) AS h(id, buyer_email, quantity)";
  // A key can only be taken concurrently by a batch of another ticket type (this one's are serialized by the row
  // lock), i.e. for another purchase: such requests are refused, the others go on.
  private static final String CLAIM_KEYS = "INSERT INTO idempotency_keys (buyer_email, key, request_hash, order_id,"
      + " hold_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::uuid[])"
      + " ON CONFLICT (buyer_email, key) DO NOTHING RETURNING COALESCE(order_id, hold_id) AS target";
  private static final String ADD_TAKEN = "UPDATE ticket_types SET sold = sold + $2, held = held + $3 WHERE id = $1";
  /** Keys must outlive any sensible retry; the API promises 24 hours. */
  private static final String FORGET_OLD_KEYS = "DELETE FROM idempotency_keys"
      + " WHERE created_at < now() - interval '25 hours'";

  /**
   * The outcome of a committed batch: one answer per request, in request order; how many tickets it sold or held,
   * how many of expired holds it released, and whether none is left.
   */
  public record Result(UUID eventId, List<PurchaseAnswer> answers, int ticketsTaken, int ticketsReleased,
                       boolean exhausted) {
  }

  private final Pool pool;

  public PurchaseBatch(Pool pool) {
    this.pool = pool;
  }

  /** Closes the pool: for a purchase lane's batches, which have one of their own. */
  public Future<Void> close() {
    return pool.close();
  }

  /**
   * Statements that do not need each other's results are pipelined (sent together on the connection, executed by
   * PostgreSQL in the order sent): the row lock is held from the first statement to the commit, so every round
   * trip saved shortens the time the next batch of this ticket type waits.
   */
  public Future<Result> run(UUID ticketTypeId, List<PurchaseRequest> requests) {
    return pool.withTransaction(conn -> {
      Future<RowSet<Row>> locked = conn.preparedQuery(TicketTypeState.LOCK).execute(Tuple.of(ticketTypeId));
      Future<RowSet<Row>> released = conn.preparedQuery(RELEASE_EXPIRED).execute(Tuple.of(ticketTypeId));
      Future<Map<String, KnownKey>> known = knownKeys(conn, requests);
      Future<Map<String, Integer>> taken = BuyerAllowances.lockAndCount(conn, ticketTypeId,
          requests.stream().map(PurchaseRequest::buyerEmail).toList(), null);
      return Future.all(locked, released, known, taken).compose(all -> {
        RowSet<Row> rows = locked.result();
        if (rows.size() == 0) {
          Refusal unknown = new Refusal.NotFound("No ticket type " + ticketTypeId);
          return Future.succeededFuture(new Result(null, refuseAll(requests, unknown), 0, 0, false));
        }
        TicketTypeState state = TicketTypeState.of(ticketTypeId, rows.iterator().next());
        return decide(conn, state, new Released(released.result()), requests, known.result(), taken.result());
      });
    });
  }

  private Future<Result> decide(SqlConnection conn, TicketTypeState state, Released released,
                                List<PurchaseRequest> requests, Map<String, KnownKey> known,
                                Map<String, Integer> takenBefore) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    PurchaseAnswer[] answers = new PurchaseAnswer[requests.size()];
    Map<String, Integer> firstOfScope = new HashMap<>();
    List<NewOrder> newOrders = new ArrayList<>();
    List<NewHold> newHolds = new ArrayList<>();
    Map<UUID, List<Integer>> replays = new LinkedHashMap<>();
    int remaining = state.remaining(released.tickets());
    Map<String, Integer> takenByBuyer = new HashMap<>(takenBefore);

    for (int i = 0; i < requests.size(); i++) {
      PurchaseRequest request = requests.get(i);
      if (firstOfScope.putIfAbsent(request.keyScope(), i) != null) {
        continue;
      }
      KnownKey key = known.get(request.keyScope());
      if (key != null) {
        if (key.requestHash().equals(request.requestHash())) {
          replays.computeIfAbsent(key.target(), id -> new ArrayList<>()).add(i);
        } else {
          answers[i] = new PurchaseAnswer.Refused(new Refusal.IdempotencyKeyReused());
        }
      } else if (state.queued() && !state.eventId().equals(request.admittedTo())) {
        answers[i] = new PurchaseAnswer.Refused(new Refusal.AdmissionRequired());
      } else if (request.hold() && state.free()) {
        answers[i] = new PurchaseAnswer.Refused(new Refusal.NoPaymentNeeded());
      } else if (!request.hold() && !state.free()) {
        answers[i] = new PurchaseAnswer.Refused(new Refusal.PaymentRequired());
      } else if (!state.onSale(now)) {
        answers[i] = new PurchaseAnswer.Refused(new Refusal.SalesClosed());
      } else if (request.quantity() > state.maxPerOrder()) {
        answers[i] = new PurchaseAnswer.Refused(new Refusal.OverPerOrderLimit(state.maxPerOrder()));
      } else if (request.quantity() > state.allowance(takenByBuyer.getOrDefault(request.buyerEmail(), 0))) {
        answers[i] = new PurchaseAnswer.Refused(new Refusal.OverBuyerLimit(state.maxTicketsPerBuyer(),
            state.allowance(takenByBuyer.getOrDefault(request.buyerEmail(), 0))));
      } else if (request.quantity() > remaining) {
        answers[i] = new PurchaseAnswer.Refused(new Refusal.SoldOut(remaining));
      } else {
        remaining -= request.quantity();
        takenByBuyer.merge(request.buyerEmail(), request.quantity(), Integer::sum);
        if (request.hold()) {
          NewHold hold = NewHold.create(i, request, state, now);
          newHolds.add(hold);
          answers[i] = new PurchaseAnswer.Held(hold.held(), false);
        } else {
          NewOrder order = NewOrder.create(i, request, state, now);
          newOrders.add(order);
          answers[i] = new PurchaseAnswer.Placed(order.placed(), false);
        }
      }
    }
    Future<Void> replayed = loadReplays(conn, replays, answers);
    Future<Claimed> claimed = claimKeys(conn, newOrders, newHolds, answers);
    return Future.all(replayed, claimed)
        .compose(both -> write(conn, state, claimed.result(), released, now))
        .map(ticketsTaken -> {
          copyToRepeats(requests, firstOfScope, answers);
          return new Result(state.eventId(), List.of(answers), ticketsTaken, released.tickets(),
              state.remaining(released.tickets()) == ticketsTaken);
        });
  }

  /**
   * Answers purchases of a ticket type flagged sold out without locking anything: each is the retry of a purchase
   * that succeeded (its original order or hold), a reused key or sold out. One query for the whole batch.
   */
  public Future<List<PurchaseAnswer>> replaysOrSoldOut(List<PurchaseRequest> requests) {
    return pool.withConnection(conn -> knownKeys(conn, requests).compose(known -> {
      PurchaseAnswer[] answers = new PurchaseAnswer[requests.size()];
      Map<UUID, List<Integer>> replays = new LinkedHashMap<>();
      for (int i = 0; i < requests.size(); i++) {
        PurchaseRequest request = requests.get(i);
        KnownKey key = known.get(request.keyScope());
        if (key == null) {
          answers[i] = new PurchaseAnswer.Refused(new Refusal.SoldOut(0));
        } else if (key.requestHash().equals(request.requestHash())) {
          replays.computeIfAbsent(key.target(), id -> new ArrayList<>()).add(i);
        } else {
          answers[i] = new PurchaseAnswer.Refused(new Refusal.IdempotencyKeyReused());
        }
      }
      return loadReplays(conn, replays, answers).map(loaded -> List.of(answers));
    }));
  }

  private static Future<Map<String, KnownKey>> knownKeys(SqlConnection conn, List<PurchaseRequest> requests) {
    String[] buyers = requests.stream().map(PurchaseRequest::buyerEmail).toArray(String[]::new);
    String[] keys = requests.stream().map(PurchaseRequest::idempotencyKey).toArray(String[]::new);
    return conn.preparedQuery(KNOWN_KEYS).execute(Tuple.tuple().addValue(buyers).addValue(keys)).map(rows -> {
      Map<String, KnownKey> known = new HashMap<>();
      for (Row row : rows) {
        UUID order = row.getUUID("order_id");
        known.put(row.getString("buyer_email") + "\n" + row.getString("key"),
            new KnownKey(row.getString("request_hash"), order != null ? order : row.getUUID("hold_id")));
      }
      return known;
    });
  }

  /** The original answers of repeated keys: orders and holds by id (a request asks for one kind only). */
  private static Future<Void> loadReplays(SqlConnection conn, Map<UUID, List<Integer>> replays,
                                          PurchaseAnswer[] answers) {
    if (replays.isEmpty()) {
      return Future.succeededFuture();
    }
    UUID[] ids = replays.keySet().toArray(UUID[]::new);
    Future<Map<UUID, Order>> orders = OrderStore.readOrders(conn, ids);
    Future<Map<UUID, Hold>> holds = HoldStore.readHolds(conn, ids);
    return Future.all(orders, holds).map(both -> {
      replays.forEach((id, indexes) -> indexes.forEach(i -> {
        Hold hold = holds.result().get(id);
        answers[i] = hold != null
            ? new PurchaseAnswer.Held(hold, true)
            : new PurchaseAnswer.Placed(orders.result().get(id), true);
      }));
      return null;
    });
  }

  /** The new orders and holds whose idempotency keys this batch could claim. */
  private record Claimed(List<NewOrder> orders, List<NewHold> holds) {
  }

  /** Inserts the new idempotency keys; purchases whose key another purchase took meanwhile are refused. */
  private static Future<Claimed> claimKeys(SqlConnection conn, List<NewOrder> orders, List<NewHold> holds,
                                           PurchaseAnswer[] answers) {
    if (orders.isEmpty() && holds.isEmpty()) {
      return Future.succeededFuture(new Claimed(orders, holds));
    }
    int size = orders.size() + holds.size();
    String[] buyers = new String[size];
    String[] keys = new String[size];
    String[] hashes = new String[size];
    UUID[] orderIds = new UUID[size];
    UUID[] holdIds = new UUID[size];
    int k = 0;
    for (NewOrder order : orders) {
      buyers[k] = order.request().buyerEmail();
      keys[k] = order.request().idempotencyKey();
      hashes[k] = order.request().requestHash();
      orderIds[k++] = order.id();
    }
    for (NewHold hold : holds) {
      buyers[k] = hold.request().buyerEmail();
      keys[k] = hold.request().idempotencyKey();
      hashes[k] = hold.request().requestHash();
      holdIds[k++] = hold.id();
    }
    return conn.preparedQuery(CLAIM_KEYS)
        .execute(Tuple.tuple().addValue(buyers).addValue(keys).addValue(hashes).addValue(orderIds).addValue(holdIds))
        .map(rows -> {
          Set<UUID> claimed = new HashSet<>();
          rows.forEach(row -> claimed.add(row.getUUID("target")));
          Refusal reused = new Refusal.IdempotencyKeyReused();
          List<NewOrder> keptOrders = new ArrayList<>();
          for (NewOrder order : orders) {
            if (claimed.contains(order.id())) {
              keptOrders.add(order);
            } else {
              answers[order.index()] = new PurchaseAnswer.Refused(reused);
            }
          }
          List<NewHold> keptHolds = new ArrayList<>();
          for (NewHold hold : holds) {
            if (claimed.contains(hold.id())) {
              keptHolds.add(hold);
            } else {
              answers[hold.index()] = new PurchaseAnswer.Refused(reused);
            }
          }
          return new Claimed(keptOrders, keptHolds);
        });
  }

  /** Orders, holds, the counters and the outbox events, pipelined; how many tickets were sold or held. */
  private static Future<Integer> write(SqlConnection conn, TicketTypeState state, Claimed claimed, Released released,
                                       Instant now) {
    OrderWriter.Written orders = OrderWriter.write(conn, state, claimed.orders(), now);
    int heldTickets = claimed.holds().stream().mapToInt(hold -> hold.request().quantity()).sum();
    if (orders.tickets() == 0 && heldTickets == 0 && released.tickets() == 0) {
      return Future.succeededFuture(0);
    }
    List<DomainEvent> events = new ArrayList<>(orders.placed());
    events.addAll(released.expiredEvents(now));
    // Each order's row keeps the trace of the request that asked for it; the batch itself serves none.
    Map<UUID, String> traceHeaders = new HashMap<>();
    claimed.orders().forEach(order -> traceHeaders.put(order.id(), order.request().traceHeader()));
    return Future.all(
            orders.inserted(),
            insertHolds(conn, state, claimed.holds(), now),
            Outbox.appendAll(conn, events,
                event -> event instanceof OrderPlaced placed ? traceHeaders.get(placed.orderId()) : null),
            conn.preparedQuery(ADD_TAKEN).execute(Tuple.of(state.ticketTypeId(), orders.tickets(),
                heldTickets - released.tickets())))
        .map(orders.tickets() + heldTickets);
  }

  private static Future<Void> insertHolds(SqlConnection conn, TicketTypeState state, List<NewHold> holds,
                                          Instant now) {
    if (holds.isEmpty()) {
      return Future.succeededFuture();
    }
    UUID[] ids = holds.stream().map(NewHold::id).toArray(UUID[]::new);
    String[] buyers = holds.stream().map(hold -> hold.request().buyerEmail()).toArray(String[]::new);
    Integer[] quantities = holds.stream().map(hold -> hold.request().quantity()).toArray(Integer[]::new);
    return conn.preparedQuery(INSERT_HOLDS)
        .execute(Tuple.of(state.ticketTypeId(), state.eventId(), state.priceMinor(), state.currency(),
            now.atOffset(ZoneOffset.UTC), now.plus(state.holdDuration()).atOffset(ZoneOffset.UTC))
            .addValue(ids).addValue(buyers).addValue(quantities))
        .mapEmpty();
  }

  /** Requests repeating an earlier one of the batch (same buyer and key) get its answer, or a refusal if different. */
  private static void copyToRepeats(List<PurchaseRequest> requests, Map<String, Integer> firstOfScope,
                                    PurchaseAnswer[] answers) {
    for (int i = 0; i < requests.size(); i++) {
      if (answers[i] != null) {
        continue;
      }
      int first = firstOfScope.get(requests.get(i).keyScope());
      boolean same = requests.get(first).requestHash().equals(requests.get(i).requestHash());
      answers[i] = !same ? new PurchaseAnswer.Refused(new Refusal.IdempotencyKeyReused())
          : switch (answers[first]) {
            case PurchaseAnswer.Placed placed -> new PurchaseAnswer.Placed(placed.order(), true);
            case PurchaseAnswer.Held held -> new PurchaseAnswer.Held(held.hold(), true);
            case PurchaseAnswer.Refused refused -> refused;
          };
    }
  }

  /** Idempotency keys older than any retry the API promises to recognise; run now and then, outside batches. */
  public Future<Void> forgetOldKeys() {
    return pool.query(FORGET_OLD_KEYS).execute().mapEmpty();
  }

  private static List<PurchaseAnswer> refuseAll(List<PurchaseRequest> requests, Refusal reason) {
    return requests.stream().<PurchaseAnswer>map(request -> new PurchaseAnswer.Refused(reason)).toList();
  }

  /** An Idempotency-Key already taken: what it was used for, and the order or hold it made. */
  private record KnownKey(String requestHash, UUID target) {
  }

  /** The expired holds this batch released, each told to its buyer by a HoldExpired. */
  private record Released(RowSet<Row> rows) {

    int tickets() {
      int tickets = 0;
      for (Row row : rows) {
        tickets += row.getInteger("quantity");
      }
      return tickets;
    }

    List<DomainEvent> expiredEvents(Instant now) {
      List<DomainEvent> events = new ArrayList<>(rows.size());
      for (Row row : rows) {
        events.add(new HoldExpired(TimeOrderedIds.next(), now, row.getUUID("id"), row.getUUID("event_id"),
            row.getUUID("ticket_type_id"), row.getString("buyer_email"), row.getInteger("quantity")));
      }
      return events;
    }
  }
}
