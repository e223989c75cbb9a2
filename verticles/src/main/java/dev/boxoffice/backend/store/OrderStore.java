package dev.boxoffice.backend.store;

import static dev.boxoffice.backend.store.OrderRows.ORDER_COLUMNS;
import static dev.boxoffice.backend.store.OrderRows.PAID_OF_ORDER;
import static dev.boxoffice.backend.store.OrderRows.TICKET_COLUMNS;

import dev.boxoffice.backend.model.Order;
import dev.boxoffice.backend.model.Page;
import dev.boxoffice.backend.model.PageRequest;
import dev.boxoffice.backend.model.Refund;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.Ticket;
import dev.boxoffice.backend.outbox.Outbox;
import dev.boxoffice.codecs.events.DomainEvent;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Orders and their tickets, as buyers and organizers read them, and an order's cancellation. Purchases are written by
 * {@link PurchaseBatch}, which reads replayed orders back through {@link #readOrders}.
 */
public final class OrderStore {

  private static final String ORDER_WITH_ORGANIZER = "SELECT o.buyer_email, o.ticket_type_id, e.organizer_email"
      + " FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = $1";
  private static final String ORDERS_BY_ID = "SELECT " + ORDER_COLUMNS + ", " + PAID_OF_ORDER
      + " FROM orders o WHERE o.id = ANY($1)";
  private static final String TICKETS_OF_ORDERS = "SELECT " + TICKET_COLUMNS
      + " FROM tickets k WHERE k.order_id = ANY($1) ORDER BY k.order_id, k.id";
  private static final String MY_ORDERS = "SELECT " + ORDER_COLUMNS + " FROM orders o WHERE o.buyer_email = $1"
      + " AND ($2::timestamptz IS NULL OR (o.placed_at, o.id) < ($2, $3)) ORDER BY o.placed_at DESC, o.id DESC"
      + " LIMIT $4";
  private static final String MY_TICKETS = "SELECT " + TICKET_COLUMNS + " FROM tickets k WHERE k.buyer_email = $1"
      + " AND ($2::timestamptz IS NULL OR (k.issued_at, k.id) < ($2, $3)) ORDER BY k.issued_at DESC, k.id DESC"
      + " LIMIT $4";
  private static final String LOCK_TICKET_TYPE = "SELECT id FROM ticket_types WHERE id = $1 FOR UPDATE";
  private static final String CANCEL_ORDER = "UPDATE orders SET status = 'cancelled', cancelled_at = now()"
      + " WHERE id = $1 AND status = 'placed' RETURNING id, event_id, ticket_type_id, buyer_email, quantity";
  private static final String CANCEL_TICKETS = "UPDATE tickets SET status = 'cancelled' WHERE order_id = $1"
      + " RETURNING id";
  private static final String RETURN_CAPACITY = "UPDATE ticket_types SET sold = sold - $2 WHERE id = $1";

  /** Who may see an order: its buyer, and the organizer of its event. */
  public record Ownership(String buyerEmail, UUID ticketTypeId, String organizerEmail) {
  }

  private final Pool pool;

  public OrderStore(Pool pool) {
    this.pool = pool;
  }

  public Future<Optional<Ownership>> ownership(UUID orderId) {
    return ownership(pool.preparedQuery(ORDER_WITH_ORGANIZER).execute(Tuple.of(orderId)));
  }

  public Future<Order> order(UUID orderId) {
    return pool.withConnection(conn -> readOrders(conn, new UUID[] {orderId})).map(orders -> orders.get(orderId));
  }

  /** A buyer's orders, the latest first. */
  public Future<Page<Order>> ordersOf(String buyerEmail, PageRequest request) {
    return pool.preparedQuery(MY_ORDERS).execute(Pages.ownerPage(buyerEmail, request)).compose(rows -> {
      List<Row> page = Pages.firstRows(rows, request.limit());
      UUID[] ids = page.stream().map(row -> row.getUUID("id")).toArray(UUID[]::new);
      return pool.withConnection(conn -> readOrders(conn, ids)).map(orders -> new Page<>(
          page.stream().map(row -> orders.get(row.getUUID("id"))).toList(),
          Pages.next(rows, page, request.limit(), "placed_at")));
    });
  }

  /** A buyer's tickets, the latest first. */
  public Future<Page<Ticket>> ticketsOf(String buyerEmail, PageRequest request) {
    return pool.preparedQuery(MY_TICKETS).execute(Pages.ownerPage(buyerEmail, request)).map(rows -> {
      List<Row> page = Pages.firstRows(rows, request.limit());
      return new Page<>(page.stream().map(OrderRows::ticket).toList(),
          Pages.next(rows, page, request.limit(), "issued_at"));
    });
  }

  /** Runs {@code work} in one transaction: it commits when the future succeeds and rolls back when it fails. */
  public <T> Future<T> inTransaction(Function<Transaction, Future<T>> work) {
    return pool.withTransaction(conn -> work.apply(new Transaction(conn)));
  }

  /** Orders by id with their tickets and refunds: three statements, pipelined. */
  static Future<Map<UUID, Order>> readOrders(SqlConnection conn, UUID[] orderIds) {
    Future<RowSet<Row>> ticketRows = conn.preparedQuery(TICKETS_OF_ORDERS).execute(Tuple.tuple().addValue(orderIds));
    Future<RowSet<Row>> orderRows = conn.preparedQuery(ORDERS_BY_ID).execute(Tuple.tuple().addValue(orderIds));
    Future<Map<UUID, List<Refund>>> refunds = RefundStore.refundsOf(conn, orderIds);
    return Future.all(ticketRows, orderRows, refunds).map(all -> {
      Map<UUID, List<Ticket>> tickets = new HashMap<>();
      ticketRows.result().forEach(row -> tickets.computeIfAbsent(row.getUUID("order_id"), id -> new ArrayList<>())
          .add(OrderRows.ticket(row)));
      Map<UUID, Order> orders = new HashMap<>();
      orderRows.result().forEach(row -> orders.put(row.getUUID("id"),
          OrderRows.order(row, tickets, refunds.result())));
      return orders;
    });
  }

  private static Future<Optional<Ownership>> ownership(Future<RowSet<Row>> query) {
    return query.map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new Ownership(row.getString("buyer_email"), row.getUUID("ticket_type_id"),
          row.getString("organizer_email")));
    });
  }

  /**
   * The steps of a cancellation inside one transaction. Lock order: the ticket type row first, as purchase batches
   * lock it, then the order's rows, so a cancellation and a batch never deadlock.
   */
  public static final class Transaction {

    private final SqlConnection conn;

    private Transaction(SqlConnection conn) {
      this.conn = conn;
    }

    public Future<Optional<Ownership>> ownership(UUID orderId) {
      return OrderStore.ownership(conn.preparedQuery(ORDER_WITH_ORGANIZER).execute(Tuple.of(orderId)));
    }

    public Future<Void> lockTicketType(UUID ticketTypeId) {
      return conn.preparedQuery(LOCK_TICKET_TYPE).execute(Tuple.of(ticketTypeId)).mapEmpty();
    }

    /**
     * Cancels a placed order, voids its tickets, returns their capacity to the ticket type and, when it was paid,
     * writes its refund (sent to the provider after the commit); an order cancelled already is refused.
     */
    public Future<CancelledOrder> cancel(UUID orderId) {
      return conn.preparedQuery(CANCEL_ORDER).execute(Tuple.of(orderId)).compose(cancelled -> {
        if (cancelled.size() == 0) {
          return Future.failedFuture(new Refusal.OrderAlreadyCancelled());
        }
        Row order = cancelled.iterator().next();
        return conn.preparedQuery(CANCEL_TICKETS).execute(Tuple.of(orderId))
            .map(tickets -> cancelledOrder(order, tickets))
            .compose(done -> RefundStore.refundPaidOrders(conn, List.of(done), Refund.Reason.ORDER_CANCELLED)
                .compose(refunded -> returnCapacity(order)).map(done));
      });
    }

    public Future<Void> append(DomainEvent event) {
      return Outbox.append(conn, event);
    }

    public Future<Order> order(UUID orderId) {
      return readOrders(conn, new UUID[] {orderId}).map(orders -> orders.get(orderId));
    }

    private Future<RowSet<Row>> returnCapacity(Row order) {
      return conn.preparedQuery(RETURN_CAPACITY)
          .execute(Tuple.of(order.getUUID("ticket_type_id"), order.getInteger("quantity")));
    }

    private static CancelledOrder cancelledOrder(Row order, RowSet<Row> tickets) {
      List<UUID> ticketIds = new ArrayList<>();
      tickets.forEach(row -> ticketIds.add(row.getUUID("id")));
      return new CancelledOrder(order.getUUID("id"), order.getUUID("event_id"), order.getUUID("ticket_type_id"),
          order.getString("buyer_email"), ticketIds);
    }
  }
}
