package dev.boxoffice.backend.sales;

import static dev.boxoffice.backend.sales.OrderJson.ORDER_COLUMNS;
import static dev.boxoffice.backend.sales.OrderJson.TICKET_COLUMNS;

import dev.boxoffice.backend.cache.SoldOutFlags;
import dev.boxoffice.backend.web.Cursor;
import dev.boxoffice.backend.web.Inputs;
import dev.boxoffice.backend.web.Replies;
import dev.boxoffice.backend.cache.ResponseCache;
import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.web.Sessions;
import dev.boxoffice.backend.web.ApiException;
import dev.boxoffice.backend.outbox.Outbox;
import dev.boxoffice.codecs.events.OrderCancelled;
import dev.boxoffice.codecs.session.Role;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Purchases (rate limit, sold-out shortcut, then the {@link PurchaseDesk}'s batches), a buyer's orders and tickets,
 * and an organizer's order cancellation. Orders are visible to their buyer and to the organizer of their event;
 * anyone else gets 404.
 */
public final class SalesApi {

  private static final String ORDER_WITH_ORGANIZER = "SELECT o.buyer_email, o.ticket_type_id, e.organizer_email"
      + " FROM orders o JOIN events e ON e.id = o.event_id WHERE o.id = $1";
  private static final String LOCK_TICKET_TYPE = "SELECT id FROM ticket_types WHERE id = $1 FOR UPDATE";
  private static final String CANCEL_ORDER = "UPDATE orders SET status = 'cancelled', cancelled_at = now()"
      + " WHERE id = $1 AND status = 'placed' RETURNING id, event_id, ticket_type_id, buyer_email, quantity";
  private static final String CANCEL_TICKETS = "UPDATE tickets SET status = 'cancelled' WHERE order_id = $1"
      + " RETURNING id";
  private static final String RETURN_CAPACITY = "UPDATE ticket_types SET sold = sold - $2 WHERE id = $1";
  private static final String MY_ORDERS = "SELECT " + ORDER_COLUMNS + " FROM orders o WHERE o.buyer_email = $1"
      + " AND ($2::timestamptz IS NULL OR (o.placed_at, o.id) < ($2, $3)) ORDER BY o.placed_at DESC, o.id DESC"
      + " LIMIT $4";
  private static final String MY_TICKETS = "SELECT " + TICKET_COLUMNS + " FROM tickets k WHERE k.buyer_email = $1"
      + " AND ($2::timestamptz IS NULL OR (k.issued_at, k.id) < ($2, $3)) ORDER BY k.issued_at DESC, k.id DESC"
      + " LIMIT $4";

  private final Pool pool;
  private final PurchaseDesk desk;
  private final PurchaseGate gate;
  private final SoldOutFlags soldOutFlags;
  private final ResponseCache cache;

  public SalesApi(Pool pool, PurchaseDesk desk, PurchaseGate gate, SoldOutFlags soldOutFlags, ResponseCache cache) {
    this.pool = pool;
    this.desk = desk;
    this.gate = gate;
    this.soldOutFlags = soldOutFlags;
    this.cache = cache;
  }

  public void purchaseTickets(RoutingContext ctx) {
    Principal buyer = Sessions.principal(ctx);
    PurchaseRequest request = new PurchaseRequest(Inputs.pathId(ctx, "ticketTypeId"), buyer.email(),
        Inputs.validated(ctx).getHeaders().get("Idempotency-Key").getString(),
        Inputs.body(ctx).getInteger("quantity"));
    gate.pass(buyer.email(), request.ticketTypeId())
        .compose(passage -> passage.soldOut() ? desk.replayOrSoldOut(request) : desk.submit(request))
        .compose(answer -> switch (answer) {
          case PurchaseAnswer.Placed placed -> Future.succeededFuture(placed);
          case PurchaseAnswer.Refused refused -> Future.<PurchaseAnswer.Placed>failedFuture(refused.reason());
        })
        .onSuccess(placed -> {
          if (placed.replayed()) {
            ctx.response().putHeader("Idempotent-Replayed", "true");
          }
          Replies.json(ctx, 201, placed.order());
        })
        .onFailure(ctx::fail);
  }

  public void listMyOrders(RoutingContext ctx) {
    Principal buyer = Sessions.principal(ctx);
    int limit = Inputs.queryInt(ctx, "limit", 20);
    pool.preparedQuery(MY_ORDERS).execute(pageParameters(ctx, buyer, limit))
        .compose(rows -> {
          List<Row> page = firstRows(rows, limit);
          UUID[] ids = page.stream().map(row -> row.getUUID("id")).toArray(UUID[]::new);
          return pool.withConnection(conn -> PurchaseBatch.readOrders(conn, ids)).map(orders -> {
            JsonArray items = new JsonArray();
            page.forEach(row -> items.add(orders.get(row.getUUID("id"))));
            return withCursor(new JsonObject().put("items", items), rows, page, limit, "placed_at");
          });
        })
        .onSuccess(body -> Replies.json(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  public void listMyTickets(RoutingContext ctx) {
    Principal buyer = Sessions.principal(ctx);
    int limit = Inputs.queryInt(ctx, "limit", 20);
    pool.preparedQuery(MY_TICKETS).execute(pageParameters(ctx, buyer, limit))
        .map(rows -> {
          List<Row> page = firstRows(rows, limit);
          JsonArray items = new JsonArray();
          page.forEach(row -> items.add(OrderJson.ticket(row)));
          return withCursor(new JsonObject().put("items", items), rows, page, limit, "issued_at");
        })
        .onSuccess(body -> Replies.json(ctx, 200, body))
        .onFailure(ctx::fail);
  }

  public void getOrder(RoutingContext ctx) {
    Principal caller = Sessions.principal(ctx);
    UUID orderId = Inputs.pathId(ctx, "orderId");
    pool.preparedQuery(ORDER_WITH_ORGANIZER).execute(Tuple.of(orderId))
        .compose(rows -> {
          if (rows.size() == 0 || !mayRead(caller, rows.iterator().next())) {
            return Future.failedFuture(ApiException.notFound("No order " + orderId + " of yours"));
          }
          return pool.withConnection(conn -> PurchaseBatch.readOrders(conn, new UUID[] {orderId}))
              .map(orders -> orders.get(orderId));
        })
        .onSuccess(order -> Replies.json(ctx, 200, order))
        .onFailure(ctx::fail);
  }

  /** The ticket type row is locked first, as purchase batches do, so a cancellation and a batch never deadlock. */
  public void cancelOrder(RoutingContext ctx) {
    Principal organizer = Sessions.principal(ctx);
    UUID orderId = Inputs.pathId(ctx, "orderId");
    pool.withTransaction(conn -> conn.preparedQuery(ORDER_WITH_ORGANIZER).execute(Tuple.of(orderId))
            .compose(rows -> {
              if (rows.size() == 0 || !organizer.hasRole(Role.ORGANIZER)
                  || !organizer.email().equals(rows.iterator().next().getString("organizer_email"))) {
                return Future.failedFuture(ApiException.notFound("No order " + orderId + " of your events"));
              }
              return conn.preparedQuery(LOCK_TICKET_TYPE)
                  .execute(Tuple.of(rows.iterator().next().getUUID("ticket_type_id")));
            })
            .compose(locked -> conn.preparedQuery(CANCEL_ORDER).execute(Tuple.of(orderId)))
            .compose(cancelled -> {
              if (cancelled.size() == 0) {
                return Future.failedFuture(ApiException.conflict("order_cancelled", "The order is cancelled already"));
              }
              Row order = cancelled.iterator().next();
              return conn.preparedQuery(CANCEL_TICKETS).execute(Tuple.of(orderId))
                  .compose(tickets -> {
                    List<UUID> ticketIds = new ArrayList<>();
                    tickets.forEach(row -> ticketIds.add(row.getUUID("id")));
                    return conn.preparedQuery(RETURN_CAPACITY)
                        .execute(Tuple.of(order.getUUID("ticket_type_id"), order.getInteger("quantity")))
                        .compose(returned -> Outbox.append(conn, new OrderCancelled(UUID.randomUUID(), Instant.now(),
                            orderId, order.getUUID("event_id"), order.getUUID("ticket_type_id"),
                            order.getString("buyer_email"), ticketIds, organizer.email())));
                  })
                  .compose(appended -> PurchaseBatch.readOrders(conn, new UUID[] {orderId}))
                  .map(orders -> orders.get(orderId));
            }))
        .compose(order -> {
          UUID ticketTypeId = UUID.fromString(order.getString("ticketTypeId"));
          UUID eventId = UUID.fromString(order.getString("eventId"));
          return soldOutFlags.clear(ticketTypeId).compose(cleared -> cache.salesChanged(eventId)).map(order);
        })
        .onSuccess(order -> Replies.json(ctx, 200, order))
        .onFailure(ctx::fail);
  }

  private static boolean mayRead(Principal caller, Row order) {
    return caller.email().equals(order.getString("buyer_email"))
        || caller.hasRole(Role.ORGANIZER) && caller.email().equals(order.getString("organizer_email"));
  }

  private static Tuple pageParameters(RoutingContext ctx, Principal buyer, int limit) {
    String cursorText = Inputs.query(ctx, "cursor");
    Cursor cursor = cursorText == null ? null : Cursor.decode(cursorText);
    return Tuple.of(buyer.email(), cursor == null ? null : cursor.at().atOffset(ZoneOffset.UTC),
        cursor == null ? null : cursor.id(), limit + 1);
  }

  private static List<Row> firstRows(RowSet<Row> rows, int limit) {
    List<Row> page = new ArrayList<>(limit);
    for (Row row : rows) {
      if (page.size() == limit) {
        break;
      }
      page.add(row);
    }
    return page;
  }

  private static JsonObject withCursor(JsonObject body, RowSet<Row> rows, List<Row> page, int limit, String atColumn) {
    if (rows.size() > limit) {
      Row last = page.get(page.size() - 1);
      body.put("nextCursor", new Cursor(last.getOffsetDateTime(atColumn).toInstant(), last.getUUID("id")).encode());
    }
    return body;
  }
}
