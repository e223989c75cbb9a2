package dev.boxoffice.backend.payments;

import dev.boxoffice.backend.payments.PaymentProvider.RefundResult;
import dev.boxoffice.backend.store.RefundStore;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the refunds that cancellations and late payments decided to the provider, and records its answers: a refund
 * is claimed for a minute (another backend takes it over if this one dies meanwhile), asked with its id as
 * idempotency key (a retry returns the same refund), and retried with exponential back-off while the provider is
 * unreachable. The buyer is told by the {@code PaymentRefunded} written when it succeeds.
 */
final class RefundWorker {

  static final Duration LEASE = Duration.ofMinutes(1);
  private static final int ROUND_LIMIT = 20;
  private static final Duration MAX_BACKOFF = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(RefundWorker.class);

  private final RefundStore refunds;
  private final PaymentProvider provider;

  RefundWorker(RefundStore refunds, PaymentProvider provider) {
    this.refunds = refunds;
    this.provider = provider;
  }

  /** Sends the due refunds; how many there were. */
  Future<Integer> round() {
    return refunds.claimDue(ROUND_LIMIT, LEASE).compose(due -> Future.join(due.stream().map(this::send).toList())
        .map(done -> due.size()));
  }

  private Future<Void> send(RefundStore.Due refund) {
    return provider.refund(new PaymentProvider.RefundRequest(refund.id(), refund.paymentId(), refund.amountMinor(),
            refund.currency()))
        .compose(answer -> record(refunds, refund.id(), answer))
        .recover(failure -> {
          Duration delay = backoff(refund.attempts());
          LOG.warn("refund {} of {} {} not sent (attempt {}), retrying in {} s: {}", refund.id(),
              refund.amountMinor(), refund.currency(), refund.attempts(), delay.toSeconds(), failure.getMessage());
          return refunds.retryLater(refund.id(), failure.getMessage(), delay, null);
        });
  }

  /** The provider's answer about a refund, from the worker's call or a webhook. */
  static Future<Void> record(RefundStore refunds, UUID refundId, RefundResult answer) {
    return switch (answer.status()) {
      case SUCCEEDED -> refunds.succeeded(refundId, answer.providerRefundId()).mapEmpty();
      case FAILED -> {
        LOG.error("the provider refused refund {}: {}", refundId, answer.failure());
        yield refunds.failed(refundId, answer.failure());
      }
      case PENDING -> refunds.retryLater(refundId, "pending at the provider", LEASE, answer.providerRefundId());
    };
  }

  static Duration backoff(int attempts) {
    long seconds = 5L << Math.min(Math.max(attempts - 1, 0), 20);
    return seconds > MAX_BACKOFF.toSeconds() ? MAX_BACKOFF : Duration.ofSeconds(seconds);
  }
}
