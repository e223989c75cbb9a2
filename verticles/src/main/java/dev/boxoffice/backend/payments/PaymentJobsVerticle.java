package dev.boxoffice.backend.payments;

import dev.boxoffice.backend.model.Hold;
import dev.boxoffice.backend.payments.PaymentProvider.CheckoutStatus;
import dev.boxoffice.backend.store.HoldStore;
import dev.boxoffice.backend.store.RefundStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The payment work no request drives, on every backend (rows are claimed with {@code SKIP LOCKED}, so backends share
 * it): <em>reconciliation</em> asks the provider about checkouts that are due (a webhook that never came, a backend
 * that crashed between the provider's success and its commit, a hold that ended while its checkout was open, which
 * is then ended at the provider), and the {@link RefundWorker} sends the refunds that are due.
 */
public final class PaymentJobsVerticle extends VerticleBase {

  /** How often a checkout still open for an active hold is asked about, should its webhook never come. */
  static final Duration OPEN_CHECKOUT_RECHECK = Duration.ofMinutes(1);
  public static final Duration INTERVAL = Duration.ofSeconds(2);
  private static final Duration LEASE = Duration.ofMinutes(1);
  private static final int ROUND_LIMIT = 50;
  private static final Logger LOG = LoggerFactory.getLogger(PaymentJobsVerticle.class);

  private final HoldStore holds;
  private final PaymentService payments;
  private final PaymentProvider provider;
  private final RefundWorker refunds;
  private final Duration reconciliationInterval;
  private final Duration refundInterval;
  private final Set<Long> timers = new HashSet<>();
  private boolean stopping;
  private boolean failing;

  /** Reconciliation rounds every {@code reconciliationInterval}, refund rounds every {@code refundInterval}. */
  public PaymentJobsVerticle(HoldStore holds, RefundStore refunds, PaymentService payments, PaymentProvider provider,
                             Duration reconciliationInterval, Duration refundInterval) {
    this.holds = holds;
    this.payments = payments;
    this.provider = provider;
    this.refunds = new RefundWorker(refunds, provider);
    this.reconciliationInterval = reconciliationInterval;
    this.refundInterval = refundInterval;
  }

  @Override
  public Future<?> start() {
    every(reconciliationInterval, this::reconcile);
    every(refundInterval, () -> refunds.round().mapEmpty());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    timers.forEach(vertx::cancelTimer);
    return Future.succeededFuture();
  }

  /** Runs {@code job} {@code interval} after the end of its previous round, for as long as the verticle lives. */
  private void every(Duration interval, Supplier<Future<Void>> job) {
    long[] timer = new long[1];
    timer[0] = vertx.setTimer(interval.toMillis(), fired -> {
      timers.remove(timer[0]);
      job.get()
          .onSuccess(done -> failing = false)
          .onFailure(failure -> {
            if (!failing) {
              LOG.warn("a round of payment reconciliation or refunds failed; retrying: {}", failure.toString());
            }
            failing = true;
          })
          .onComplete(done -> {
            if (!stopping) {
              every(interval, job);
            }
          });
    });
    timers.add(timer[0]);
  }

  private Future<Void> reconcile() {
    return holds.claimPaymentChecks(ROUND_LIMIT, LEASE)
        .compose(due -> Future.join(due.stream().map(this::check).toList()).mapEmpty());
  }

  /** One checkout: settled if paid, closed if over, ended at the provider if its hold ended, else asked again later. */
  private Future<Void> check(HoldStore.PaymentCheck due) {
    if (due.checkoutId() == null) {
      return holds.scheduleCheck(due.holdId(), null);
    }
    return provider.checkout(due.checkoutId()).compose(state -> {
      if (state.status() != CheckoutStatus.OPEN) {
        return payments.apply(state, null, "checkout.reconciled");
      }
      boolean holdOver = due.status() != Hold.Status.ACTIVE || !Instant.now().isBefore(due.expiresAt());
      if (holdOver) {
        return provider.expireCheckout(due.checkoutId())
            .compose(after -> payments.apply(after, null, "checkout.reconciled"));
      }
      Instant next = Instant.now().plus(OPEN_CHECKOUT_RECHECK);
      return holds.scheduleCheck(due.holdId(), next.isBefore(due.expiresAt()) ? next : due.expiresAt());
    }).recover(failure -> {
      LOG.warn("could not reconcile the checkout of hold {} (asking again in {} s): {}", due.holdId(),
          LEASE.toSeconds(), failure.getMessage());
      return Future.succeededFuture();
    });
  }
}
