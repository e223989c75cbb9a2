package dev.boxoffice.local.stripe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The local Stripe account's objects and what happens to them: Checkout Sessions, the PaymentIntents and Charges a
 * session creates when the buyer pays, Refunds, and the Events each change emits (handed to {@code events}, which
 * stores and delivers them). Objects are kept as the JSON Stripe's API answers, in memory; every method runs on the
 * server's one event loop, so none is shared between threads.
 *
 * <p>Longer than most classes on purpose: sessions, intents, charges and refunds change together (a card attempt
 * touches all of them and emits several events), and keeping their transitions side by side keeps them consistent.
 */
final class Ledger {

  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final long MIN_SESSION_SECONDS = 30 * 60;
  private static final long MAX_SESSION_SECONDS = 24 * 60 * 60;

  private final Map<String, JsonObject> sessions = new LinkedHashMap<>();
  private final Map<String, JsonObject> intents = new LinkedHashMap<>();
  private final Map<String, JsonObject> charges = new LinkedHashMap<>();
  private final Map<String, JsonObject> refunds = new LinkedHashMap<>();
  private final Clock clock;
  private final String pageBase;
  private final Consumer<Change> events;

  /** An event to emit: its type, the object as it now is, and the request that caused it (null for none). */
  record Change(String type, JsonObject object, String requestId, String idempotencyKey) {
  }

  Ledger(Clock clock, String pageBase, Consumer<Change> events) {
    this.clock = clock;
    this.pageBase = pageBase;
    this.events = events;
  }

  static String id(String prefix) {
    StringBuilder id = new StringBuilder(prefix).append('_');
    for (int i = 0; i < 24; i++) {
      id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }

  long now() {
    return clock.instant().getEpochSecond();
  }

  /** {@code POST /v1/checkout/sessions}, payment mode with inline prices, as Boxoffice and most shops use it. */
  JsonObject createSession(JsonObject params) {
    String mode = params.getString("mode");
    if (mode == null) {
      throw StripeError.missing("mode");
    }
    if (!mode.equals("payment")) {
      throw StripeError.invalid("mode", "This local Stripe server supports mode=payment only.");
    }
    String successUrl = requireUrl(params, "success_url");
    String cancelUrl = params.getString("cancel_url");
    JsonArray items = params.getJsonArray("line_items");
    if (items == null || items.isEmpty()) {
      throw StripeError.missing("line_items");
    }
    String currency = null;
    long total = 0;
    JsonArray lineItems = new JsonArray();
    for (int i = 0; i < items.size(); i++) {
      JsonObject item = items.getJsonObject(i);
      String param = "line_items[" + i + "]";
      JsonObject price = item.getJsonObject("price_data");
      if (price == null) {
        throw StripeError.missing(param + "[price_data]");
      }
      String itemCurrency = Money.currency(price.getString("currency"), param + "[price_data][currency]");
      if (currency != null && !currency.equals(itemCurrency)) {
        throw StripeError.invalid(param + "[price_data][currency]", "All line items must be in one currency.");
      }
      currency = itemCurrency;
      long unitAmount = Money.integer(price.getString("unit_amount"), param + "[price_data][unit_amount]");
      long quantity = Money.integer(item.getString("quantity"), param + "[quantity]");
      if (unitAmount < 0 || quantity < 1) {
        throw StripeError.invalid(param, "unit_amount must be at least 0 and quantity at least 1.");
      }
      if (Money.THREE_DECIMAL.contains(currency) && unitAmount % 10 != 0) {
        throw StripeError.invalid(param + "[price_data][unit_amount]", "Amounts in " + currency
            + " must be rounded to the nearest ten (the last digit must be 0).");
      }
      String name = price.getJsonObject("product_data", new JsonObject()).getString("name");
      if (name == null || name.isBlank()) {
        throw StripeError.missing(param + "[price_data][product_data][name]");
      }
      total = Math.addExact(total, Math.multiplyExact(unitAmount, quantity));
      lineItems.add(new JsonObject().put("description", name).put("quantity", quantity)
          .put("unit_amount", unitAmount).put("amount_total", unitAmount * quantity).put("currency", currency));
    }
    if (total < Money.minimum(currency)) {
      throw StripeError.invalid("line_items", "The Checkout Session's total amount due must add up to at least "
          + Money.display(Money.minimum(currency), currency) + ".");
    }
    long created = now();
    long expiresAt = params.containsKey("expires_at") ? Money.integer(params.getString("expires_at"), "expires_at")
        : created + MAX_SESSION_SECONDS;
    if (expiresAt < created + MIN_SESSION_SECONDS || expiresAt > created + MAX_SESSION_SECONDS) {
      throw StripeError.invalid("expires_at", "The `expires_at` timestamp must be between 30 minutes and 24 hours"
          + " from Checkout Session creation.");
    }
    String id = id("cs_test");
    JsonObject session = new JsonObject()
        .put("id", id).put("object", "checkout.session")
        .put("amount_subtotal", total).put("amount_total", total)
        .put("cancel_url", cancelUrl).put("client_reference_id", params.getString("client_reference_id"))
        .put("created", created).put("currency", currency)
        .put("customer_details", null).put("customer_email", params.getString("customer_email"))
        .put("expires_at", expiresAt).put("livemode", false)
        .put("metadata", params.getJsonObject("metadata", new JsonObject()))
        .put("mode", "payment").put("payment_intent", null)
        .put("payment_intent_data", params.getJsonObject("payment_intent_data", new JsonObject()))
        .put("payment_method_types", new JsonArray().add("card"))
        .put("payment_status", "unpaid").put("status", "open")
        .put("success_url", successUrl).put("url", pageBase + id)
        .put("line_items", lineItems);
    sessions.put(id, session);
    return session;
  }

  JsonObject session(String id) {
    JsonObject session = sessions.get(id);
    if (session == null) {
      throw StripeError.noSuch("checkout.session", id, "session");
    }
    return session;
  }

  List<JsonObject> sessions() {
    return new ArrayList<>(sessions.values());
  }

  JsonObject intent(String id) {
    JsonObject intent = intents.get(id);
    if (intent == null) {
      throw StripeError.noSuch("payment_intent", id, "intent");
    }
    return intent;
  }

  List<JsonObject> intents() {
    return new ArrayList<>(intents.values());
  }

  JsonObject refund(String id) {
    JsonObject refund = refunds.get(id);
    if (refund == null) {
      throw StripeError.noSuch("refund", id, "refund");
    }
    return refund;
  }

  List<JsonObject> refunds() {
    return new ArrayList<>(refunds.values());
  }

  /** {@code POST /v1/checkout/sessions/{id}/expire}: only an open session can be. */
  JsonObject expire(String id, String requestId, String idempotencyKey) {
    JsonObject session = session(id);
    if (!"open".equals(session.getString("status"))) {
      throw new StripeError(400, "invalid_request_error", "checkout_session_not_open", "Only Checkout Sessions with"
          + " a status in [\"open\"] can be expired. This Checkout Session has a status of \""
          + session.getString("status") + "\".", null);
    }
    endUnpaid(session, requestId, idempotencyKey);
    return session;
  }

  /** Sessions past their {@code expires_at}, as Stripe expires them by itself. */
  void expireDue() {
    long now = now();
    for (JsonObject session : sessions.values()) {
      if ("open".equals(session.getString("status")) && session.getLong("expires_at") <= now) {
        endUnpaid(session, null, null);
      }
    }
  }

  private void endUnpaid(JsonObject session, String requestId, String idempotencyKey) {
    session.put("status", "expired").put("url", null);
    String intentId = session.getString("payment_intent");
    if (intentId != null) {
      JsonObject intent = intents.get(intentId);
      intent.put("status", "canceled").put("canceled_at", now()).put("cancellation_reason", "abandoned");
      emit("payment_intent.canceled", intent, requestId, idempotencyKey);
    }
    emit("checkout.session.expired", session, requestId, idempotencyKey);
  }

  /** The PaymentIntent of a session, made when the buyer first submits a card (as Checkout does). */
  JsonObject intentOf(JsonObject session) {
    String existing = session.getString("payment_intent");
    if (existing != null) {
      return intents.get(existing);
    }
    String id = id("pi");
    JsonObject intent = new JsonObject()
        .put("id", id).put("object", "payment_intent")
        .put("amount", session.getLong("amount_total")).put("amount_received", 0)
        .put("canceled_at", null).put("cancellation_reason", null).put("capture_method", "automatic")
        .put("client_secret", id + "_secret_" + id("x").substring(2)).put("confirmation_method", "automatic")
        .put("created", now()).put("currency", session.getString("currency"))
        .put("description", null).put("last_payment_error", null).put("latest_charge", null).put("livemode", false)
        .put("metadata", session.getJsonObject("payment_intent_data").getJsonObject("metadata", new JsonObject()))
        .put("next_action", null).put("payment_method_types", new JsonArray().add("card"))
        .put("receipt_email", session.getString("customer_email")).put("status", "requires_payment_method");
    intents.put(id, intent);
    session.put("payment_intent", id);
    emit("payment_intent.created", intent, null, null);
    return intent;
  }

  /** A card attempt settled: a charge, and the intent and session moved on (paid), or the decline recorded. */
  void charge(JsonObject session, String cardNumber, TestCards.Outcome outcome) {
    JsonObject intent = intentOf(session);
    String chargeId = id("ch");
    boolean paid = outcome.kind() == TestCards.Kind.SUCCEEDS;
    JsonObject charge = new JsonObject()
        .put("id", chargeId).put("object", "charge").put("amount", intent.getLong("amount"))
        .put("amount_captured", paid ? intent.getLong("amount") : 0).put("amount_refunded", 0)
        .put("captured", paid).put("created", now()).put("currency", intent.getString("currency"))
        .put("failure_code", paid ? null : outcome.code()).put("failure_message", paid ? null : outcome.message())
        .put("livemode", false).put("metadata", intent.getJsonObject("metadata"))
        .put("outcome", new JsonObject().put("type", paid ? "authorized" : "issuer_declined")
            .put("reason", outcome.declineCode()).put("seller_message", paid ? "Payment complete." : outcome.message()))
        .put("paid", paid).put("payment_intent", intent.getString("id"))
        .put("payment_method_details", new JsonObject().put("type", "card")
            .put("card", new JsonObject().put("last4", TestCards.last4(cardNumber))))
        .put("refunded", false).put("status", paid ? "succeeded" : "failed");
    charges.put(chargeId, charge);
    intent.put("latest_charge", chargeId).put("next_action", null);
    if (paid) {
      intent.put("status", "succeeded").put("amount_received", intent.getLong("amount")).put("last_payment_error", null);
      session.put("status", "complete").put("payment_status", "paid").put("url", null)
          .put("customer_details", new JsonObject().put("email", session.getString("customer_email")));
      emit("charge.succeeded", charge, null, null);
      emit("payment_intent.succeeded", intent, null, null);
      emit("checkout.session.completed", session, null, null);
    } else {
      intent.put("status", "requires_payment_method").put("last_payment_error", new JsonObject()
          .put("type", "card_error").put("code", outcome.code()).put("decline_code", outcome.declineCode())
          .put("message", outcome.message()).put("charge", chargeId));
      emit("charge.failed", charge, null, null);
      emit("payment_intent.payment_failed", intent, null, null);
    }
  }

  /** A card that needs 3-D Secure: the intent waits for the challenge's answer. */
  void requireAuthentication(JsonObject session, String challengeUrl) {
    JsonObject intent = intentOf(session);
    intent.put("status", "requires_action").put("next_action", new JsonObject().put("type", "redirect_to_url")
        .put("redirect_to_url", new JsonObject().put("url", challengeUrl)));
    emit("payment_intent.requires_action", intent, null, null);
  }

  /** {@code POST /v1/refunds} of a PaymentIntent (or its charge): at most what is left unrefunded. */
  JsonObject createRefund(JsonObject params, String requestId, String idempotencyKey) {
    JsonObject charge = refundableCharge(params);
    long unrefunded = charge.getLong("amount") - charge.getLong("amount_refunded");
    long amount = params.containsKey("amount") ? Money.integer(params.getString("amount"), "amount") : unrefunded;
    if (amount <= 0) {
      throw StripeError.invalid("amount", "Refund amount must be a positive integer.");
    }
    if (amount > unrefunded) {
      throw new StripeError(400, "invalid_request_error", "amount_too_large", "Refund amount ("
          + Money.display(amount, charge.getString("currency")) + ") is greater than unrefunded amount on charge ("
          + Money.display(unrefunded, charge.getString("currency")) + ")", "amount");
    }
    String id = id("re");
    JsonObject refund = new JsonObject()
        .put("id", id).put("object", "refund").put("amount", amount)
        .put("charge", charge.getString("id")).put("created", now()).put("currency", charge.getString("currency"))
        .put("metadata", params.getJsonObject("metadata", new JsonObject()))
        .put("payment_intent", charge.getString("payment_intent")).put("reason", params.getString("reason"))
        .put("status", "succeeded");
    refunds.put(id, refund);
    charge.put("amount_refunded", charge.getLong("amount_refunded") + amount)
        .put("refunded", charge.getLong("amount_refunded") + amount == charge.getLong("amount"));
    emit("refund.created", refund, requestId, idempotencyKey);
    emit("charge.refunded", charge, requestId, idempotencyKey);
    return refund;
  }

  private JsonObject refundableCharge(JsonObject params) {
    String intentId = params.getString("payment_intent");
    String chargeId = params.getString("charge");
    if (intentId == null && chargeId == null) {
      throw new StripeError(400, "invalid_request_error", "parameter_missing", "One of the following params should"
          + " be provided for this request: payment_intent or charge.", "payment_intent");
    }
    if (intentId != null) {
      JsonObject intent = intents.get(intentId);
      if (intent == null) {
        throw StripeError.noSuch("payment_intent", intentId, "payment_intent");
      }
      chargeId = intent.getString("latest_charge");
    }
    JsonObject charge = chargeId == null ? null : charges.get(chargeId);
    if (charge == null || !"succeeded".equals(charge.getString("status"))) {
      throw new StripeError(400, "invalid_request_error", "charge_not_refundable", "This PaymentIntent does not have"
          + " a successful charge to refund.", intentId != null ? "payment_intent" : "charge");
    }
    return charge;
  }

  private void emit(String type, JsonObject object, String requestId, String idempotencyKey) {
    events.accept(new Change(type, object.copy(), requestId, idempotencyKey));
  }

  private static String requireUrl(JsonObject params, String param) {
    String url = params.getString(param);
    if (url == null) {
      throw StripeError.missing(param);
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw StripeError.invalid(param, "Not a valid URL");
    }
    return url;
  }
}
