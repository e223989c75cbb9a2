package dev.boxoffice.backend.stripe;

import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.payments.PaymentProvider.CheckoutState;
import dev.boxoffice.backend.payments.PaymentProvider.CheckoutStatus;
import dev.boxoffice.backend.payments.PaymentProvider.ProviderEvent;
import dev.boxoffice.backend.payments.PaymentProvider.RefundResult;
import dev.boxoffice.backend.payments.PaymentProvider.RefundStatus;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.UUID;

/**
 * Reads the Stripe events Boxoffice acts on from a webhook's JSON (after its signature was checked): the Checkout
 * Session's completion or expiry, a refused card, a refund's new state. The event's {@code data.object} is the object
 * as it was when the event happened, which is all these need; anything else is acknowledged and ignored.
 */
final class StripeEvents {

  private StripeEvents() {
  }

  static ProviderEvent parse(String payload) {
    JsonObject event;
    try {
      event = new JsonObject(payload);
    } catch (DecodeException e) {
      throw new Refusal.InvalidSignature("The signed payload is not a JSON event");
    }
    String id = event.getString("id");
    String type = event.getString("type", "");
    JsonObject object = event.getJsonObject("data", new JsonObject()).getJsonObject("object", new JsonObject());
    return switch (type) {
      case "checkout.session.completed", "checkout.session.async_payment_succeeded", "checkout.session.expired",
           "checkout.session.async_payment_failed" -> new ProviderEvent.CheckoutChanged(id, type, session(object));
      case "payment_intent.payment_failed" -> new ProviderEvent.PaymentFailed(id, type,
          holdOf(object.getJsonObject("metadata")), failureMessage(object));
      case "refund.created", "refund.updated", "refund.failed" -> new ProviderEvent.RefundChanged(id, type,
          uuid(object.getJsonObject("metadata", new JsonObject()).getString("refund_id")), refund(object));
      default -> new ProviderEvent.Ignored(id, type);
    };
  }

  /** A Checkout Session object; its hold is its {@code client_reference_id}. */
  static CheckoutState session(JsonObject session) {
    Object intent = session.getValue("payment_intent");
    String paymentId = intent instanceof JsonObject expanded ? expanded.getString("id") : (String) intent;
    UUID holdId = uuid(session.getString("client_reference_id"));
    return new CheckoutState(session.getString("id"), holdId != null ? holdId : holdOf(session.getJsonObject("metadata")),
        CheckoutStatus.valueOf(session.getString("status", "open").toUpperCase(Locale.ROOT)),
        "paid".equals(session.getString("payment_status")), paymentId, session.getLong("amount_total", 0L),
        session.getString("currency", ""));
  }

  static RefundResult refund(JsonObject refund) {
    RefundStatus status = switch (refund.getString("status", "pending")) {
      case "succeeded" -> RefundStatus.SUCCEEDED;
      case "failed", "canceled" -> RefundStatus.FAILED;
      default -> RefundStatus.PENDING;
    };
    return new RefundResult(refund.getString("id"), status, refund.getString("failure_reason"));
  }

  private static String failureMessage(JsonObject intent) {
    JsonObject error = intent.getJsonObject("last_payment_error");
    return error == null || error.getString("message") == null ? "The payment was declined"
        : error.getString("message");
  }

  private static UUID holdOf(JsonObject metadata) {
    return metadata == null ? null : uuid(metadata.getString("hold_id"));
  }

  private static UUID uuid(String text) {
    if (text == null) {
      return null;
    }
    try {
      return UUID.fromString(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
