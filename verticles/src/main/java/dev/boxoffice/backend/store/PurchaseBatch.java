package dev.boxoffice.backend.store;

import dev.boxoffice.backend.db.TimeOrderedIds;
import dev.boxoffice.backend.model.PurchaseAnswer;
import dev.boxoffice.backend.model.PurchaseRequest;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.outbox.Outbox;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.OrderPlaced;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
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
 * so an event cancellation waits for batches in flight and batches after it see it), every request is
 * decided in arrival order against what remains, and the orders, tickets, idempotency keys and outbox events of all
 * of them are written with one multi-row statement each. Either all of it commits or none of it does. The refusals it
 * decides (sold out, sales closed, over the per-order maximum, a reused key) are answers, not failures: a batch fails
 * only when its transaction does.
 */
public final class PurchaseBatch {

  private static final String LOCK_TICKET_TYPE = "SELECT t.event_id, t.price_minor, t.currency, t.capacity, t.sold,"
      + " t.sales_start, t.sales_end, t.max_per_order, t.sales_closed, e.status AS event_status, e.starts_at,"
      + " e.ends_at FROM ticket_types t JOIN events e ON e.id = t.event_id WHERE t.id = $1"
      + " FOR UPDATE OF t FOR SHARE OF e";
  // One primary-key probe per request, whatever the statistics say. A plain join of unnest() with the table is
  // planned as a hash join over a sequential scan while the table is small, and the prepared statement keeps that
  // plan as the table grows by thousands of keys a second during a rush (seen: 50 million rows read in one sale).
  static final String KNOWN_KEYS = "SELECT r.buyer_email, r.key, i.request_hash, i.order_id"
      + " FROM unnest($1::text[], $2::text[]) AS r(buyer_email, key) CROSS JOIN LATERAL (SELECT request_hash,"
      + " order_id FROM idempotency_keys k WHERE k.buyer_email = r.buyer_email AND k.key = r.key LIMIT 1) i";
  private static final String INSERT_ORDERS = "INSERT INTO orders (id, ticket_type_id, event_id, buyer_email,"
      + " quantity, unit_price_minor, total_minor, currency, placed_at)"
      + " SELECT o.id, $1, $2, o.buyer_email, o.quantity, $3::bigint, $3::bigint * o.quantity, $4, $5"
      + " FROM unnest($6::uuid[], $7::text[], $8::int[]) AS o(id, buyer_email, quantity)";
  private static final String INSERT_TICKETS = "INSERT INTO tickets (id, order_id, ticket_type_id, event_id,"
      + " buyer_email, issued_at) SELECT k.id, k.order_id, $1, $2, k.buyer_email, $3"
      + " FROM unnest($4::uuid[], $5::uuid[], $6::text[]) AS k(id, order_id, buyer_email)";
  // A key can only be taken concurrently by a batch of another ticket type (this one's are serialized by the row
  // lock), i.e. for another purchase: such requests are refused, the others go on.
  private static final String CLAIM_KEYS = "INSERT INTO idempotency_keys (buyer_email, key, request_hash, order_id)"
      + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[])"
      + " ON CONFLICT (buyer_email, key) DO NOTHING RETURNING order_id";
  private static final String ADD_SOLD = "UPDATE ticket_types SET sold = sold + $2 WHERE id = $1"
      + " RETURNING capacity - sold AS remaining";
  /** Keys must outlive any sensible retry; the API promises 24 hours. */
  private static final String FORGET_OLD_KEYS = "DELETE FROM idempotency_keys"
      + " WHERE created_at < now() - interval '25 hours'";

  /** The outcome of a committed batch: one answer per request, in request order; exhausted when none is left. */
  public record Result(UUID eventId, List<PurchaseAnswer> answers, int ticketsSold, boolean exhausted) {
  }

  private final Pool pool;

  public PurchaseBatch(Pool pool) {
    this.pool = pool;
  }

  /**
   * Statements that do not need each other's results are pipelined (sent together on the connection, executed by
   * PostgreSQL in the order sent): the row lock is held from the first statement to the commit, so every round
   * trip saved shortens the time the next batch of this ticket type waits.
   */
  public Future<Result> run(UUID ticketTypeId, List<PurchaseRequest> requests) {
    return pool.withTransaction(conn -> {
      Future<RowSet<Row>> locked = conn.preparedQuery(LOCK_TICKET_TYPE).execute(Tuple.of(ticketTypeId));
      Future<Map<String, KnownKey>> known = knownKeys(conn, requests);
      return Future.all(locked, known).compose(both -> {
        RowSet<Row> rows = locked.result();
        if (rows.size() == 0) {
          Refusal unknown = new Refusal.NotFound("No ticket type " + ticketTypeId);
          return Future.succeededFuture(new Result(null, refuseAll(requests, unknown), 0, false));
        }
        TicketTypeState state = TicketTypeState.of(ticketTypeId, rows.iterator().next());
        return decide(conn, state, requests, known.result());
      });
    });
  }

  private Future<Result> decide(SqlConnection conn, TicketTypeState state, List<PurchaseRequest> requests,
                                Map<String, KnownKey> known) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    PurchaseAnswer[] answers = new PurchaseAnswer[requests.size()];
    Map<String, Integer> firstOfScope = new HashMap<>();
    List<NewOrder> newOrders = new ArrayList<>();
    Map<UUID, List<Integer>> replays = new LinkedHashMap<>();
    int remaining = state.remaining();

    for (int i = 0; i < requests.size(); i++) {
      PurchaseRequest request = requests.get(i);
      if (firstOfScope.putIfAbsent(request.keyScope(), i) != null) {
        continue;
      }
      KnownKey key = known.get(request.keyScope());
      if (key != null) {
        if (key.requestHash().equals(request.requestHash())) {
          replays.computeIfAbsent(key.orderId(), id -> new ArrayList<>()).add(i);
        } else {
          answers[i] = new PurchaseAnswer.Refused(new Refusal.IdempotencyKeyReused());
        }
      } else if (!state.onSale(now)) {
        answers[i] = new PurchaseAnswer.Refused(new Refusal.SalesClosed());
      } else if (request.quantity() > state.maxPerOrder()) {
        answers[i] = new PurchaseAnswer.Refused(new Refusal.OverPerOrderLimit(state.maxPerOrder()));
      } else if (request.quantity() > remaining) {
        answers[i] = new PurchaseAnswer.Refused(new Refusal.SoldOut(remaining));
      } else {
        remaining -= request.quantity();
        NewOrder order = NewOrder.create(i, request, state, now);
        newOrders.add(order);
        answers[i] = new PurchaseAnswer.Placed(order.placed(), false);
      }
    }
    Future<Void> replayed = loadReplays(conn, replays, answers);
    Future<List<NewOrder>> claimed = claimKeys(conn, newOrders, answers);
    return Future.all(replayed, claimed)
        .compose(both -> write(conn, state, claimed.result(), now))
        .map(ticketsSold -> {
          copyToRepeats(requests, firstOfScope, answers);
          return new Result(state.eventId(), List.of(answers), ticketsSold, state.remaining() == ticketsSold);
        });
  }

  /**
   * Answers purchases of a ticket type flagged sold out without locking anything: each is the retry of a purchase
   * that succeeded (its original order), a reused key or sold out. One query for the whole batch.
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
          replays.computeIfAbsent(key.orderId(), id -> new ArrayList<>()).add(i);
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
        known.put(row.getString("buyer_email") + "\n" + row.getString("key"),
            new KnownKey(row.getString("request_hash"), row.getUUID("order_id")));
      }
      return known;
    });
  }

  private static Future<Void> loadReplays(SqlConnection conn, Map<UUID, List<Integer>> replays,
                                          PurchaseAnswer[] answers) {
    if (replays.isEmpty()) {
      return Future.succeededFuture();
    }
    UUID[] orderIds = replays.keySet().toArray(UUID[]::new);
    return OrderStore.readOrders(conn, orderIds).map(orders -> {
      replays.forEach((orderId, indexes) -> indexes.forEach(i ->
          answers[i] = new PurchaseAnswer.Placed(orders.get(orderId), true)));
      return null;
    });
  }

  /** Inserts the new orders' idempotency keys; orders whose key another purchase took meanwhile are refused. */
  private static Future<List<NewOrder>> claimKeys(SqlConnection conn, List<NewOrder> orders,
                                                  PurchaseAnswer[] answers) {
    if (orders.isEmpty()) {
      return Future.succeededFuture(orders);
    }
    String[] buyers = orders.stream().map(order -> order.request().buyerEmail()).toArray(String[]::new);
    String[] keys = orders.stream().map(order -> order.request().idempotencyKey()).toArray(String[]::new);
    String[] hashes = orders.stream().map(order -> order.request().requestHash()).toArray(String[]::new);
    UUID[] orderIds = orders.stream().map(NewOrder::id).toArray(UUID[]::new);
    return conn.preparedQuery(CLAIM_KEYS)
        .execute(Tuple.tuple().addValue(buyers).addValue(keys).addValue(hashes).addValue(orderIds))
        .map(rows -> {
          Set<UUID> claimed = new HashSet<>();
          rows.forEach(row -> claimed.add(row.getUUID("order_id")));
          List<NewOrder> kept = new ArrayList<>(claimed.size());
          for (NewOrder order : orders) {
            if (claimed.contains(order.id())) {
              kept.add(order);
            } else {
              answers[order.index()] = new PurchaseAnswer.Refused(new Refusal.IdempotencyKeyReused());
            }
          }
          return kept;
        });
  }

  private static Future<Integer> write(SqlConnection conn, TicketTypeState state, List<NewOrder> orders,
                                       Instant now) {
    if (orders.isEmpty()) {
      return Future.succeededFuture(0);
    }
    int ticketCount = orders.stream().mapToInt(order -> order.ticketIds().size()).sum();
    UUID[] orderIds = new UUID[orders.size()];
    String[] buyers = new String[orders.size()];
    Integer[] quantities = new Integer[orders.size()];
    UUID[] ticketIds = new UUID[ticketCount];
    UUID[] ticketOrders = new UUID[ticketCount];
    String[] ticketBuyers = new String[ticketCount];
    // One OrderPlaced per order, listing its tickets: it is what starts their issuance. (A TicketIssued per ticket
    // repeated it and was 70% of the outbox rows a rush wrote and relayed.)
    List<DomainEvent> events = new ArrayList<>(orders.size());
    int t = 0;
    for (int i = 0; i < orders.size(); i++) {
      NewOrder order = orders.get(i);
      orderIds[i] = order.id();
      buyers[i] = order.request().buyerEmail();
      quantities[i] = order.request().quantity();
      events.add(new OrderPlaced(TimeOrderedIds.next(), now, order.id(), state.eventId(), state.ticketTypeId(),
          buyers[i], order.ticketIds(), quantities[i], state.priceMinor() * quantities[i], state.currency(), now));
      for (UUID ticketId : order.ticketIds()) {
        ticketIds[t] = ticketId;
        ticketOrders[t] = order.id();
        ticketBuyers[t] = buyers[i];
        t++;
      }
    }
    OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
    return Future.all(
            conn.preparedQuery(INSERT_ORDERS).execute(Tuple.of(state.ticketTypeId(), state.eventId(),
                state.priceMinor(), state.currency(), at).addValue(orderIds).addValue(buyers).addValue(quantities)),
            conn.preparedQuery(INSERT_TICKETS).execute(Tuple.of(state.ticketTypeId(), state.eventId(), at)
                .addValue(ticketIds).addValue(ticketOrders).addValue(ticketBuyers)),
            Outbox.appendAll(conn, events),
            conn.preparedQuery(ADD_SOLD).execute(Tuple.of(state.ticketTypeId(), ticketCount)))
        .map(ticketCount);
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
          : answers[first] instanceof PurchaseAnswer.Placed placed
              ? new PurchaseAnswer.Placed(placed.order(), true)
              : answers[first];
    }
  }

  /** Idempotency keys older than any retry the API promises to recognise; run now and then, outside batches. */
  public Future<Void> forgetOldKeys() {
    return pool.query(FORGET_OLD_KEYS).execute().mapEmpty();
  }

  private static List<PurchaseAnswer> refuseAll(List<PurchaseRequest> requests, Refusal reason) {
    return requests.stream().<PurchaseAnswer>map(request -> new PurchaseAnswer.Refused(reason)).toList();
  }

  private record KnownKey(String requestHash, UUID orderId) {
  }
}
