package dev.boxoffice.backend.payments;

import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.cache.ResponseCache;
import dev.boxoffice.backend.cache.SoldOutFlags;
import dev.boxoffice.backend.model.Hold;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.payments.PaymentProvider.CheckoutState;
import dev.boxoffice.backend.payments.PaymentProvider.CheckoutStatus;
import dev.boxoffice.backend.payments.PaymentProvider.ProviderEvent;
import dev.boxoffice.backend.store.HoldStore;
import dev.boxoffice.backend.store.PaymentStore;
import dev.boxoffice.backend.store.RefundStore;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A buyer's holds and their payment: the hold's page, its cancel, the provider's hosted checkout, and what the
 * provider says happened (its signed webhooks, or its answer when asked). Payment news from any source goes through
 * {@link #settle}, which is idempotent: a webhook twice, a webhook and the buyer's return, or reconciliation after a
 * crash settle a payment once. Holds are visible to their buyer only.
 */
public final class PaymentService {

  /** A provider's checkout must stay open at least this long (Stripe's floor); the hold's expiry ends it earlier. */
  static final Duration CHECKOUT_MINIMUM = Duration.ofMinutes(30);

  private static final Logger LOG = LoggerFactory.getLogger(PaymentService.class);

  private final HoldStore holds;
  private final PaymentStore payments;
  private final RefundStore refunds;
  private final Optional<PaymentProvider> provider;
  private final SoldOutFlags soldOutFlags;
  private final ResponseCache cache;
  private final String publicUrl;

  public PaymentService(HoldStore holds, PaymentStore payments, RefundStore refunds,
                        Optional<PaymentProvider> provider, SoldOutFlags soldOutFlags, ResponseCache cache,
                        String publicUrl) {
    this.holds = holds;
    this.payments = payments;
    this.refunds = refunds;
    this.provider = provider;
    this.soldOutFlags = soldOutFlags;
    this.cache = cache;
    this.publicUrl = publicUrl.replaceAll("/+$", "");
  }

  public Future<Hold> hold(Principal buyer, UUID holdId) {
    return holds.hold(holdId).compose(found -> found.isPresent() && found.get().buyerEmail().equals(buyer.email())
        ? Future.succeededFuture(found.get())
        : Future.failedFuture(new Refusal.NotFound("No hold " + holdId + " of yours")));
  }

  /** Gives the tickets back; a hold that ended already is answered as it is. */
  public Future<Hold> cancel(Principal buyer, UUID holdId) {
    return hold(buyer, holdId)
        .compose(own -> holds.cancel(holdId).map(Optional::orElseThrow))
        .compose(cancelled -> capacityReturned(cancelled.ticketTypeId(), cancelled.eventId()).map(cancelled));
  }

  /**
   * The hosted page where the buyer pays for an active hold: the one it has, or a new one, open until the hold runs
   * out (at the provider's minimum, longer; reconciliation ends it when the hold does).
   */
  public Future<String> checkout(Principal buyer, UUID holdId) {
    PaymentProvider payments = provider.orElseThrow(Refusal.PaymentsUnavailable::new);
    return hold(buyer, holdId).compose(hold -> {
      if (hold.status() != Hold.Status.ACTIVE) {
        return Future.failedFuture(new Refusal.HoldEnded(hold.status()));
      }
      if (!Instant.now().isBefore(hold.expiresAt())) {
        return Future.failedFuture(new Refusal.HoldEnded(Hold.Status.EXPIRED));
      }
      if (hold.payment().checkoutUrl() != null) {
        return Future.succeededFuture(hold.payment().checkoutUrl());
      }
      return holds.checkoutLabel(hold.ticketTypeId())
          .compose(label -> payments.startCheckout(checkoutRequest(hold, label)))
          .compose(checkout -> holds.checkoutStarted(holdId, checkout.id(), checkout.url(), firstCheck(hold))
              .compose(recorded -> recorded
                  ? Future.succeededFuture(checkout.url())
                  : endCheckout(payments, checkout.id()).compose(ended -> hold(buyer, holdId))
                      .compose(now -> Future.failedFuture(new Refusal.HoldEnded(now.status())))));
    });
  }

  /** Reconciliation asks about a new checkout within a minute, should its webhook never come, and at the hold's end. */
  private static Instant firstCheck(Hold hold) {
    Instant soon = Instant.now().plus(PaymentJobsVerticle.OPEN_CHECKOUT_RECHECK);
    return soon.isBefore(hold.expiresAt()) ? soon : hold.expiresAt();
  }

  private PaymentProvider.CheckoutRequest checkoutRequest(Hold hold, String label) {
    String page = publicUrl + "/holds/" + hold.id();
    // Deterministic per hold, so that asking again repeats the same request under the same idempotency key.
    Instant expiresAt = hold.expiresAt().plus(CHECKOUT_MINIMUM);
    return new PaymentProvider.CheckoutRequest(hold.id(), hold.buyerEmail(), label, hold.unitPriceMinor(),
        hold.quantity(), hold.currency(), page + "?checkout=success", page + "?checkout=cancelled", expiresAt);
  }

  /**
   * Asks the provider now about the hold's checkout (the buyer is back from it, maybe before its webhook) and
   * settles what it says.
   */
  public Future<Hold> checkPayment(Principal buyer, UUID holdId) {
    return hold(buyer, holdId).compose(hold -> {
      if (hold.payment().status() != Hold.PaymentStatus.OPEN || provider.isEmpty()) {
        return Future.succeededFuture(hold);
      }
      return holds.checkoutId(holdId)
          .compose(checkoutId -> provider.get().checkout(checkoutId))
          .compose(state -> apply(state, null, "checkout.retrieved"))
          .compose(applied -> hold(buyer, holdId));
    });
  }

  /** A webhook: its signature checked, then acted on once whatever the order or number of deliveries. */
  public Future<Void> webhook(String payload, String signatureHeader) {
    PaymentProvider payments = provider.orElseThrow(Refusal.PaymentsUnavailable::new);
    ProviderEvent event = payments.event(payload, signatureHeader);
    return switch (event) {
      case ProviderEvent.CheckoutChanged changed -> apply(changed.checkout(), event.id(), event.type());
      case ProviderEvent.PaymentFailed failed -> failed.holdId() == null ? Future.succeededFuture()
          : this.payments.declined(failed.holdId(), failed.message(), event.id(), event.type()).mapEmpty();
      case ProviderEvent.RefundChanged changed -> changed.refundId() == null ? Future.succeededFuture()
          : RefundWorker.record(refunds, changed.refundId(), changed.refund());
      case ProviderEvent.Ignored ignored -> Future.succeededFuture();
    };
  }

  /** What a checkout's state means for its hold; reconciliation uses it too. */
  Future<Void> apply(CheckoutState state, String providerEventId, String eventType) {
    if (state.holdId() == null) {
      return Future.succeededFuture();
    }
    if (state.status() == CheckoutStatus.COMPLETE && state.paid()) {
      return settle(new PaymentStore.Payment(state.holdId(), state.paymentId(), state.amountMinor(),
          state.currency()), providerEventId, eventType);
    }
    if (state.status() == CheckoutStatus.EXPIRED) {
      return holds.checkoutEnded(state.id());
    }
    return Future.succeededFuture();
  }

  private Future<Void> settle(PaymentStore.Payment payment, String providerEventId, String eventType) {
    return payments.settle(payment, providerEventId, eventType).compose(settlement -> {
      switch (settlement.outcome()) {
        case CONFIRMED -> LOG.info("hold {} paid ({} {}): confirmed into its order", payment.holdId(),
            payment.amountMinor(), payment.currency());
        case REFUNDING -> LOG.warn("hold {} paid ({} {}) but refunded: {}", payment.holdId(), payment.amountMinor(),
            payment.currency(), settlement.reason().text());
        case UNKNOWN -> LOG.warn("a payment for hold {}, which does not exist, is left alone", payment.holdId());
        case SETTLED -> LOG.debug("payment of hold {} settled already", payment.holdId());
      }
      return settlement.outcome() == PaymentStore.Outcome.CONFIRMED
          || settlement.outcome() == PaymentStore.Outcome.REFUNDING
          ? capacityReturned(settlement.ticketTypeId(), settlement.eventId())
          : Future.succeededFuture();
    });
  }

  /** Ends a checkout nobody should pay at any more; a failure is left to reconciliation, which asks again. */
  static Future<Void> endCheckout(PaymentProvider provider, String checkoutId) {
    return provider.expireCheckout(checkoutId).<Void>mapEmpty().recover(failure -> {
      LOG.warn("could not end checkout {} now (reconciliation will): {}", checkoutId, failure.toString());
      return Future.succeededFuture();
    });
  }

  /** Tickets changed hands: the sold-out flag goes (it is set again by the next batch that finds none) and pages reload. */
  private Future<Void> capacityReturned(UUID ticketTypeId, UUID eventId) {
    return soldOutFlags.clear(ticketTypeId).compose(cleared -> cache.salesChanged(eventId));
  }
}
