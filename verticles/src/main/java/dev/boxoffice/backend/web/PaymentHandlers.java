package dev.boxoffice.backend.web;

import dev.boxoffice.backend.payments.PaymentService;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;

/** A buyer's holds and their payment, and the payment provider's webhook. */
public final class PaymentHandlers {

  private final PaymentService payments;

  public PaymentHandlers(PaymentService payments) {
    this.payments = payments;
  }

  void getHold(RoutingContext ctx) {
    UUID holdId = Inputs.pathId(ctx, "holdId");
    payments.hold(Sessions.principal(ctx), holdId)
        .onSuccess(hold -> Replies.json(ctx, 200, Representations.hold(hold)))
        .onFailure(ctx::fail);
  }

  void cancelHold(RoutingContext ctx) {
    UUID holdId = Inputs.pathId(ctx, "holdId");
    payments.cancel(Sessions.principal(ctx), holdId)
        .onSuccess(hold -> Replies.json(ctx, 200, Representations.hold(hold)))
        .onFailure(ctx::fail);
  }

  /** Where the buyer's browser goes to pay: the provider's hosted page. */
  void startCheckout(RoutingContext ctx) {
    UUID holdId = Inputs.pathId(ctx, "holdId");
    payments.checkout(Sessions.principal(ctx), holdId)
        .onSuccess(url -> Replies.json(ctx, 200, new JsonObject().put("checkoutUrl", url)))
        .onFailure(ctx::fail);
  }

  void checkPayment(RoutingContext ctx) {
    UUID holdId = Inputs.pathId(ctx, "holdId");
    payments.checkPayment(Sessions.principal(ctx), holdId)
        .onSuccess(hold -> Replies.json(ctx, 200, Representations.hold(hold)))
        .onFailure(ctx::fail);
  }

  /**
   * The provider's signed notification, checked against the exact bytes received. 200 once acted on (or known
   * already); a failure answers 500 so that the provider delivers it again.
   */
  void stripeWebhook(RoutingContext ctx) {
    payments.webhook(ctx.body().asString(), ctx.request().getHeader("Stripe-Signature"))
        .onSuccess(done -> Replies.json(ctx, 200, new JsonObject().put("received", true)))
        .onFailure(ctx::fail);
  }
}
