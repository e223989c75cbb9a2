package dev.boxoffice.backend.payments;

import dev.boxoffice.backend.model.Refusal;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.UUID;

/**
 * The port to a card payment provider, as the payments domain needs it: a hosted checkout page per hold (no card data
 * ever reaches Boxoffice), what became of a checkout, refunds, and the provider's signed notifications. Every call
 * that changes something carries an idempotency key, so a retry never charges, creates or refunds twice. Amounts are
 * in minor units of an ISO 4217 currency (cents; yen for JPY, which has none smaller). A provider that cannot be
 * reached fails with {@link Refusal.PaymentProviderFailed}.
 */
public interface PaymentProvider {

  /** A hosted checkout where the buyer pays {@code quantity × unitAmountMinor}, open until {@code expiresAt}. */
  Future<Checkout> startCheckout(CheckoutRequest request);

  /** What became of a checkout, as the provider knows it now. */
  Future<CheckoutState> checkout(String checkoutId);

  /** Ends an open checkout so nobody can pay there any more; answers its state after (complete if paid already). */
  Future<CheckoutState> expireCheckout(String checkoutId);

  /** Pays back {@code amountMinor} of a payment; {@code refundId} is the idempotency key. */
  Future<RefundResult> refund(RefundRequest request);

  /**
   * A notification the provider pushed, after checking its signature (a forged, altered or stale one fails with
   * {@link Refusal.InvalidSignature}).
   */
  ProviderEvent event(String payload, String signatureHeader);

  /** The hold, the buyer and the amount of a checkout; the URLs the provider sends the buyer back to. */
  record CheckoutRequest(UUID holdId, String buyerEmail, String description, long unitAmountMinor, int quantity,
                         String currency, String successUrl, String cancelUrl, Instant expiresAt) {

    /** One checkout per hold: asking again, with the same request, answers the same checkout. */
    public String idempotencyKey() {
      return "checkout-" + holdId;
    }
  }

  record Checkout(String id, String url) {
  }

  /** open: the buyer may pay; complete: done (paid, when {@code paid}); expired: ended unpaid. */
  enum CheckoutStatus { OPEN, COMPLETE, EXPIRED }

  /** {@code holdId} is null for a checkout Boxoffice did not start. */
  record CheckoutState(String id, UUID holdId, CheckoutStatus status, boolean paid, String paymentId,
                       long amountMinor, String currency) {
  }

  record RefundRequest(UUID refundId, String paymentId, long amountMinor, String currency) {
  }

  /** succeeded, pending (the provider answers later) or failed for good, with its reason. */
  enum RefundStatus { SUCCEEDED, PENDING, FAILED }

  record RefundResult(String providerRefundId, RefundStatus status, String failure) {
  }

  /** The notifications the payments domain acts on; the provider's event id makes each act once. */
  sealed interface ProviderEvent {

    String id();

    String type();

    /** A checkout completed or expired. */
    record CheckoutChanged(String id, String type, CheckoutState checkout) implements ProviderEvent {
    }

    /** The provider refused a card for a hold's checkout, with the sentence it showed the buyer. */
    record PaymentFailed(String id, String type, UUID holdId, String message) implements ProviderEvent {
    }

    /** A refund Boxoffice asked for changed state. */
    record RefundChanged(String id, String type, UUID refundId, RefundResult refund) implements ProviderEvent {
    }

    /** Anything else: acknowledged and left alone. */
    record Ignored(String id, String type) implements ProviderEvent {
    }
  }
}
