package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.store.NoticeCatchUpStore;
import dev.boxoffice.backend.store.NotificationStore;
import dev.boxoffice.backend.store.NotificationStore.EventFacts;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.notifications.HoldExpired;
import dev.boxoffice.codecs.notifications.Notification;
import dev.boxoffice.codecs.notifications.OrderCancelled;
import dev.boxoffice.codecs.notifications.PaymentDeclined;
import dev.boxoffice.codecs.notifications.PaymentRefunded;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification a domain event owes its buyer, with an id that follows from the event alone
 * ({@code hold-expired:<holdId>}, {@code payment-declined:<domain event id>}, {@code payment-refunded:<refundId>},
 * {@code order-cancelled:<orderId>}), so that however often the event is relayed the mailer sends one email. Empty
 * for an event that tells nobody, or whose rows are gone.
 */
final class BuyerNotices {

  /** The domain events that tell a buyer something by email. */
  static final List<String> TYPES = NoticeCatchUpStore.NOTICE_TYPES;

  private static final Logger LOG = LoggerFactory.getLogger(BuyerNotices.class);

  private final NotificationStore store;

  BuyerNotices(NotificationStore store) {
    this.store = store;
  }

  /** The event types are named in full: the notifications, imported, share their simple names. */
  Future<Optional<Notification>> of(DomainEvent event) {
    return switch (event) {
      case dev.boxoffice.codecs.events.HoldExpired expired -> about(expired.eventId(), facts -> Future.succeededFuture(
          Optional.of(new HoldExpired(HoldExpired.idOf(expired.holdId()), expired.buyerEmail(), null,
              expired.holdId(), facts.details(), expired.quantity()))));
      case dev.boxoffice.codecs.events.PaymentDeclined declined -> about(declined.eventId(), facts -> store
          .holdExpiry(declined.holdId())
          .map(expiry -> expiry.map(expiresAt -> new PaymentDeclined(PaymentDeclined.idOf(declined.id()),
              declined.buyerEmail(), null, declined.holdId(), facts.details(), declined.message(), expiresAt))));
      case dev.boxoffice.codecs.events.PaymentRefunded refunded -> about(refunded.eventId(), facts ->
          Future.succeededFuture(Optional.of(new PaymentRefunded(PaymentRefunded.idOf(refunded.refundId()),
              refunded.buyerEmail(), null, refunded.refundId(), refunded.orderId(), facts.details(),
              refunded.tickets(), refunded.amountMinor(), refunded.currency(), refunded.reason()))));
      case dev.boxoffice.codecs.events.OrderCancelled cancelled -> about(cancelled.eventId(), facts -> store
          .cancelledOrderRefund(cancelled.orderId())
          .map(refund -> refund.map(given -> new OrderCancelled(OrderCancelled.idOf(cancelled.orderId()),
              cancelled.buyerEmail(), null, cancelled.orderId(), facts.details(), cancelled.ticketIds().size(),
              given.refundMinor(), given.currency(), facts.cancelled()))));
      default -> Future.succeededFuture(Optional.empty());
    };
  }

  private Future<Optional<Notification>> about(UUID eventId,
                                               Function<EventFacts, Future<Optional<Notification>>> notice) {
    return store.event(eventId).compose(facts -> {
      if (facts.isEmpty()) {
        LOG.warn("event {} is gone; its buyer's notification is not sent", eventId);
        return Future.succeededFuture(Optional.empty());
      }
      return notice.apply(facts.get());
    });
  }
}
