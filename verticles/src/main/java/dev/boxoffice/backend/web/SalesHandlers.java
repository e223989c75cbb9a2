package dev.boxoffice.backend.web;

import dev.boxoffice.backend.model.PageRequest;
import dev.boxoffice.backend.model.PurchaseRequest;
import dev.boxoffice.backend.sales.Admissions;
import dev.boxoffice.backend.sales.SalesService;
import dev.boxoffice.backend.tracing.TraceHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** The sales routes: each parses its request, calls the {@link SalesService} and answers. */
public final class SalesHandlers {

  private final SalesService sales;
  private final Admissions admissions;

  public SalesHandlers(SalesService sales, Admissions admissions) {
    this.sales = sales;
    this.admissions = admissions;
  }

  /** A repeated Idempotency-Key answers the original order, marked {@code Idempotent-Replayed: true}. */
  void purchaseTickets(RoutingContext ctx) {
    sales.purchase(purchaseRequest(ctx, false))
        .onSuccess(placed -> {
          replayed(ctx, placed.replayed());
          Replies.json(ctx, 201, Representations.order(placed.order()));
        })
        .onFailure(Refusals.replyOrFail(ctx));
  }

  /** As {@link #purchaseTickets}, for priced tickets: the answer is the hold to pay for. */
  void holdTickets(RoutingContext ctx) {
    sales.hold(purchaseRequest(ctx, true))
        .onSuccess(held -> {
          replayed(ctx, held.replayed());
          ctx.response().putHeader("Location", "/api/holds/" + held.hold().id());
          Replies.json(ctx, 201, Representations.hold(held.hold()));
        })
        .onFailure(Refusals.replyOrFail(ctx));
  }

  /** The admission header is checked here, where the session is; whether the event needs one, the batch decides. */
  private PurchaseRequest purchaseRequest(RoutingContext ctx, boolean hold) {
    String buyer = Sessions.principal(ctx).email();
    UUID admittedTo = admissions.eventOf(ctx.request().getHeader(Admissions.HEADER), buyer).orElse(null);
    return new PurchaseRequest(Inputs.pathId(ctx, "ticketTypeId"), buyer,
        Inputs.validated(ctx).getHeaders().get("Idempotency-Key").getString(),
        Inputs.body(ctx).getInteger("quantity"), hold, admittedTo, TraceHeaders.current());
  }

  private static void replayed(RoutingContext ctx, boolean replayed) {
    if (replayed) {
      ctx.response().putHeader("Idempotent-Replayed", "true");
    }
  }

  void listMyOrders(RoutingContext ctx) {
    PageRequest page = Inputs.page(ctx);
    sales.ordersOf(Sessions.principal(ctx), page)
        .onSuccess(orders -> Replies.json(ctx, 200, Representations.page(orders, Representations::order)))
        .onFailure(ctx::fail);
  }

  void listMyTickets(RoutingContext ctx) {
    PageRequest page = Inputs.page(ctx);
    sales.ticketsOf(Sessions.principal(ctx), page)
        .onSuccess(tickets -> Replies.json(ctx, 200, Representations.page(tickets, Representations::ticket)))
        .onFailure(ctx::fail);
  }

  void getOrder(RoutingContext ctx) {
    UUID orderId = Inputs.pathId(ctx, "orderId");
    sales.order(Sessions.principal(ctx), orderId)
        .onSuccess(order -> Replies.json(ctx, 200, Representations.order(order)))
        .onFailure(ctx::fail);
  }

  void cancelOrder(RoutingContext ctx) {
    UUID orderId = Inputs.pathId(ctx, "orderId");
    sales.cancelOrder(Sessions.principal(ctx), orderId)
        .onSuccess(order -> Replies.json(ctx, 200, Representations.order(order)))
        .onFailure(ctx::fail);
  }
}
