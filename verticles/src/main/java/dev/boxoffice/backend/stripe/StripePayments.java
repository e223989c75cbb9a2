package dev.boxoffice.backend.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.net.RequestOptions;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.payments.PaymentProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/**
 * The {@link PaymentProvider} on Stripe, through the official {@code stripe-java} client: Checkout Sessions (Stripe's
 * hosted page, so no card data and no third-party script reach our pages), their expiry, refunds of their
 * PaymentIntents, and webhooks checked with {@link StripeSignatures}. Every write carries an idempotency key, and the
 * client retries network failures with it. The client blocks, so its calls run on a worker pool of their own, never
 * on an event loop. The secret key is read from {@code keys} at each call, so a rotated key is used as soon as the
 * supplier has it.
 */
public final class StripePayments implements PaymentProvider {

  private static final int WORKERS = 16;

  private final StripeClient stripe;
  private final Supplier<StripeKeys> keys;
  private final WorkerExecutor workers;
  private final Clock clock;

  private StripePayments(StripeClient stripe, Supplier<StripeKeys> keys, WorkerExecutor workers, Clock clock) {
    this.stripe = stripe;
    this.keys = keys;
    this.workers = workers;
    this.clock = clock;
  }

  /** {@code apiBase}: Stripe's API, or the local Stripe server of the stack and the tests. */
  public static StripePayments create(Vertx vertx, String apiBase, Supplier<StripeKeys> keys) {
    StripeClient stripe = StripeClient.builder()
        .setAuthenticator(request -> request.withAdditionalHeader("Authorization",
            "Bearer " + keys.get().secretKey()))
        .setApiBase(apiBase)
        .setMaxNetworkRetries(2)
        .setConnectTimeout(5_000)
        .setReadTimeout(20_000)
        .build();
    return new StripePayments(stripe, keys, vertx.createSharedWorkerExecutor("stripe", WORKERS), Clock.systemUTC());
  }

  @Override
  public Future<Checkout> startCheckout(CheckoutRequest request) {
    SessionCreateParams params = SessionCreateParams.builder()
        .setMode(SessionCreateParams.Mode.PAYMENT)
        .setClientReferenceId(request.holdId().toString())
        .setCustomerEmail(request.buyerEmail())
        .setSuccessUrl(request.successUrl())
        .setCancelUrl(request.cancelUrl())
        .setExpiresAt(request.expiresAt().getEpochSecond())
        .putMetadata("hold_id", request.holdId().toString())
        .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
            .putMetadata("hold_id", request.holdId().toString())
            .build())
        .addLineItem(SessionCreateParams.LineItem.builder()
            .setQuantity((long) request.quantity())
            .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                .setCurrency(request.currency().toLowerCase(Locale.ROOT))
                .setUnitAmount(request.unitAmountMinor())
                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                    .setName(request.description())
                    .build())
                .build())
            .build())
        .build();
    return call(() -> stripe.v1().checkout().sessions().create(params, idempotent(request.idempotencyKey())))
        .map(session -> new Checkout(session.getId(), session.getUrl()));
  }

  @Override
  public Future<CheckoutState> checkout(String checkoutId) {
    return call(() -> stripe.v1().checkout().sessions().retrieve(checkoutId)).map(StripePayments::state);
  }

  /** Stripe refuses to expire a session that is not open: its state then says why (complete, or expired already). */
  @Override
  public Future<CheckoutState> expireCheckout(String checkoutId) {
    return call(() -> {
      try {
        return stripe.v1().checkout().sessions().expire(checkoutId, idempotent("expire-" + checkoutId));
      } catch (InvalidRequestException notOpen) {
        return stripe.v1().checkout().sessions().retrieve(checkoutId);
      }
    }).map(StripePayments::state);
  }

  @Override
  public Future<RefundResult> refund(RefundRequest request) {
    RefundCreateParams params = RefundCreateParams.builder()
        .setPaymentIntent(request.paymentId())
        .setAmount(request.amountMinor())
        .putMetadata("refund_id", request.refundId().toString())
        .build();
    return call(() -> stripe.v1().refunds().create(params, idempotent("refund-" + request.refundId())))
        .map(refund -> StripeEvents.refund(new JsonObject(refund.getLastResponse().body())));
  }

  @Override
  public ProviderEvent event(String payload, String signatureHeader) {
    StripeSignatures.verify(payload, signatureHeader, keys.get().webhookSecrets(), clock.instant());
    return StripeEvents.parse(payload);
  }

  private static CheckoutState state(Session session) {
    return StripeEvents.session(new JsonObject(session.getLastResponse().body()));
  }

  private static RequestOptions idempotent(String key) {
    return RequestOptions.builder().setIdempotencyKey(key).build();
  }

  /**
   * Runs a blocking client call on the Stripe workers. Stripe's refusals of a request (4xx) and its unavailability
   * both become {@link Refusal.PaymentProviderFailed} with Stripe's message, never a stack trace for the buyer.
   */
  private <T> Future<T> call(Callable<T> request) {
    return workers.executeBlocking(request, false).recover(failure -> Future.failedFuture(
        new Refusal.PaymentProviderFailed(failure instanceof ApiConnectionException
            ? "The payment provider could not be reached; try again in a moment"
            : failure instanceof StripeException stripeFailure && stripeFailure.getStripeError() != null
                ? "The payment provider refused: " + stripeFailure.getStripeError().getMessage()
                : "The payment provider failed: " + failure.getMessage())));
  }

  /** Closes the worker pool. */
  public void close() {
    workers.close();
  }
}
