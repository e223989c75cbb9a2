package dev.boxoffice.backend.sales;

import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.cache.PurchaseGate;
import dev.boxoffice.backend.cache.ResponseCache;
import dev.boxoffice.backend.cache.SoldOutFlags;
import dev.boxoffice.backend.model.Order;
import dev.boxoffice.backend.model.Page;
import dev.boxoffice.backend.model.PageRequest;
import dev.boxoffice.backend.model.PurchaseAnswer;
import dev.boxoffice.backend.model.PurchaseRequest;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.Ticket;
import dev.boxoffice.backend.store.CancelledOrder;
import dev.boxoffice.backend.store.OrderStore;
import dev.boxoffice.codecs.events.OrderCancelled;
import dev.boxoffice.codecs.session.Role;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.UUID;

/**
 * Purchases (the {@link PurchaseGate}'s rate limit and sold-out shortcut, then the {@link PurchaseDesk}'s batches), a
 * buyer's orders and tickets, and an organizer's order cancellation. Orders are visible to their buyer and to the
 * organizer of their event; to anyone else they do not exist.
 */
public final class SalesService {

  private final OrderStore orders;
  private final PurchaseDesk desk;
  private final PurchaseGate gate;
  private final SoldOutFlags soldOutFlags;
  private final ResponseCache cache;

  public SalesService(OrderStore orders, PurchaseDesk desk, PurchaseGate gate, SoldOutFlags soldOutFlags,
                      ResponseCache cache) {
    this.orders = orders;
    this.desk = desk;
    this.gate = gate;
    this.soldOutFlags = soldOutFlags;
    this.cache = cache;
  }

  /**
   * The order placed (free tickets), or the original one when the request repeats a purchase's Idempotency-Key;
   * priced tickets are refused here, they are held first ({@link #hold}).
   */
  public Future<PurchaseAnswer.Placed> purchase(PurchaseRequest request) {
    return decide(request).compose(answer -> answer instanceof PurchaseAnswer.Placed placed
        ? Future.succeededFuture(placed) : refused(answer));
  }

  /**
   * Priced tickets held for the buyer until they pay or the hold runs out (the event's setting), or the original hold
   * when the request repeats an Idempotency-Key; the same coalesced batches as purchases decide them.
   */
  public Future<PurchaseAnswer.Held> hold(PurchaseRequest request) {
    return decide(request).compose(answer -> answer instanceof PurchaseAnswer.Held held
        ? Future.succeededFuture(held) : refused(answer));
  }

  private Future<PurchaseAnswer> decide(PurchaseRequest request) {
    return gate.pass(request.buyerEmail(), request.ticketTypeId())
        .compose(passage -> passage.soldOut() ? desk.replayOrSoldOut(request) : desk.submit(request));
  }

  public Future<Page<Order>> ordersOf(Principal buyer, PageRequest page) {
    return orders.ordersOf(buyer.email(), page);
  }

  public Future<Page<Ticket>> ticketsOf(Principal buyer, PageRequest page) {
    return orders.ticketsOf(buyer.email(), page);
  }

  public Future<Order> order(Principal caller, UUID orderId) {
    return orders.ownership(orderId).compose(owner -> owner.isPresent() && mayRead(caller, owner.get())
        ? orders.order(orderId)
        : Future.failedFuture(new Refusal.NotFound("No order " + orderId + " of yours")));
  }

  /** Voids the order's tickets and returns them to sale; the order's cancellation is announced by OrderCancelled. */
  public Future<Order> cancelOrder(Principal organizer, UUID orderId) {
    return orders.inTransaction(tx -> lockOrderOfOwnEvent(tx, organizer, orderId)
            .compose(locked -> tx.cancel(orderId))
            .compose(cancelled -> appendCancelled(tx, cancelled, organizer)))
        .compose(this::capacityReturned);
  }

  /** A refusal as the failure it is; a replayed key of the other kind (an order for a hold) is a key reused. */
  private static <T> Future<T> refused(PurchaseAnswer answer) {
    return Future.failedFuture(answer instanceof PurchaseAnswer.Refused refused ? refused.reason()
        : new Refusal.IdempotencyKeyReused());
  }

  private static boolean mayRead(Principal caller, OrderStore.Ownership order) {
    return caller.email().equals(order.buyerEmail())
        || caller.hasRole(Role.ORGANIZER) && caller.email().equals(order.organizerEmail());
  }

  private static Future<Void> lockOrderOfOwnEvent(OrderStore.Transaction tx, Principal organizer, UUID orderId) {
    return tx.ownership(orderId).compose(owner -> owner.isPresent() && organizer.hasRole(Role.ORGANIZER)
        && organizer.email().equals(owner.get().organizerEmail())
        ? tx.lockTicketType(owner.get().ticketTypeId())
        : Future.failedFuture(new Refusal.NotFound("No order " + orderId + " of your events")));
  }

  private static Future<Order> appendCancelled(OrderStore.Transaction tx, CancelledOrder cancelled,
                                               Principal organizer) {
    OrderCancelled event = new OrderCancelled(UUID.randomUUID(), Instant.now(), cancelled.orderId(),
        cancelled.eventId(), cancelled.ticketTypeId(), cancelled.buyerEmail(), cancelled.ticketIds(),
        organizer.email());
    return tx.append(event).compose(appended -> tx.order(cancelled.orderId()));
  }

  /** The returned tickets end any sold-out flag, and the event's page shows them on sale again. */
  private Future<Order> capacityReturned(Order order) {
    return soldOutFlags.clear(order.ticketTypeId())
        .compose(cleared -> cache.salesChanged(order.eventId()))
        .map(order);
  }
}
