package dev.boxoffice.local.stripe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * The hosted checkout page of a session (its {@code url}), in plain HTML forms, no script: the buyer enters a test
 * card and pays, or goes back to the shop's {@code cancel_url}. Stripe's test cards behave as documented: 4242...
 * pays, 4000000000000002 is declined, 4000000000009995 has insufficient funds, and 4000002500003155 asks for 3-D
 * Secure on a challenge page where the buyer completes or fails the authentication. A paid session sends the browser
 * to {@code success_url} (with {@code {CHECKOUT_SESSION_ID}} filled in); a declined card shows Stripe's message and
 * lets the buyer try another.
 */
final class CheckoutPage {

  static final String PATH = "/pay/";

  private final LocalStripe stripe;
  /** The card a session's buyer entered, while its 3-D Secure challenge waits for an answer. */
  private final Map<String, String> awaitingAuthentication = new HashMap<>();

  CheckoutPage(LocalStripe stripe) {
    this.stripe = stripe;
  }

  void mount(Router router) {
    router.get(PATH + ":id").handler(this::page);
    router.post(PATH + ":id").handler(this::pay);
    router.get(PATH + ":id/authenticate").handler(this::challenge);
    router.post(PATH + ":id/authenticate").handler(this::authenticate);
  }

  private void page(RoutingContext ctx) {
    JsonObject session = sessionOrNotFound(ctx);
    if (session != null) {
      form(ctx, session, 200, null, "");
    }
  }

  private void pay(RoutingContext ctx) {
    JsonObject session = sessionOrNotFound(ctx);
    if (session == null) {
      return;
    }
    if (!"open".equals(session.getString("status"))) {
      form(ctx, session, 409, null, "");
      return;
    }
    String card = ctx.request().getFormAttribute("cardNumber");
    String problem = invalidEntry(card, ctx.request().getFormAttribute("expiry"), ctx.request().getFormAttribute("cvc"));
    if (problem != null) {
      form(ctx, session, 400, problem, card);
      return;
    }
    TestCards.Outcome outcome = TestCards.of(card);
    switch (outcome.kind()) {
      case INVALID -> form(ctx, session, 400, outcome.message(), card);
      case REQUIRES_AUTHENTICATION -> {
        String challenge = PATH + session.getString("id") + "/authenticate";
        stripe.ledger().requireAuthentication(session, base(ctx) + challenge);
        awaitingAuthentication.put(session.getString("id"), card);
        redirect(ctx, challenge);
      }
      case SUCCEEDS -> {
        stripe.ledger().charge(session, card, outcome);
        redirect(ctx, successUrl(session));
      }
      case DECLINED -> {
        stripe.ledger().charge(session, card, outcome);
        form(ctx, session, 402, outcome.message(), "");
      }
    }
  }

  private void challenge(RoutingContext ctx) {
    JsonObject session = sessionOrNotFound(ctx);
    if (session == null) {
      return;
    }
    if (!"open".equals(session.getString("status")) || !awaitingAuthentication.containsKey(session.getString("id"))) {
      form(ctx, session, 409, null, "");
      return;
    }
    html(ctx, 200, "3D Secure 2 Test Page", """
        <h1>3D Secure 2 test page</h1>
        <p>Your bank asks you to confirm this payment of <strong>%s</strong>.</p>
        <form method="post" action="%s">
          <button type="submit" name="outcome" value="complete">Complete authentication</button>
          <button type="submit" name="outcome" value="fail">Fail authentication</button>
        </form>""".formatted(escape(Money.display(session.getLong("amount_total"), session.getString("currency"))),
        escape(PATH + session.getString("id") + "/authenticate")));
  }

  private void authenticate(RoutingContext ctx) {
    JsonObject session = sessionOrNotFound(ctx);
    if (session == null) {
      return;
    }
    String card = awaitingAuthentication.remove(session.getString("id"));
    if (!"open".equals(session.getString("status")) || card == null) {
      form(ctx, session, 409, null, "");
      return;
    }
    if ("complete".equals(ctx.request().getFormAttribute("outcome"))) {
      stripe.ledger().charge(session, card, new TestCards.Outcome(TestCards.Kind.SUCCEEDS, null, null, null));
      redirect(ctx, successUrl(session));
    } else {
      stripe.ledger().charge(session, card, TestCards.AUTHENTICATION_FAILED);
      form(ctx, session, 402, TestCards.AUTHENTICATION_FAILED.message(), "");
    }
  }

  private JsonObject sessionOrNotFound(RoutingContext ctx) {
    try {
      return stripe.ledger().session(ctx.pathParam("id"));
    } catch (StripeError unknown) {
      html(ctx, 404, "Not found", "<h1>Something went wrong</h1><p>The page you were looking for could not be"
          + " found.</p>");
      return null;
    }
  }

  /** The payment form, or what the session has become; {@code error} is the last card's refusal, for the buyer. */
  private void form(RoutingContext ctx, JsonObject session, int status, String error, String card) {
    String amount = escape(Money.display(session.getLong("amount_total"), session.getString("currency")));
    StringBuilder items = new StringBuilder("<ul class=\"items\">");
    JsonArray lineItems = session.getJsonArray("line_items", new JsonArray());
    for (int i = 0; i < lineItems.size(); i++) {
      JsonObject item = lineItems.getJsonObject(i);
      items.append("<li>").append(escape(item.getString("description"))).append(" &times; ")
          .append(item.getLong("quantity")).append(": ")
          .append(escape(Money.display(item.getLong("amount_total"), item.getString("currency")))).append("</li>");
    }
    items.append("</ul>");
    String back = session.getString("cancel_url") == null ? ""
        : "<p><a href=\"" + escape(session.getString("cancel_url")) + "\">&larr; Back to the shop</a></p>";
    String body = switch (session.getString("status")) {
      case "complete" -> "<h1>Payment complete</h1>" + items + "<p>This payment of " + amount + " is complete.</p>"
          + "<p><a href=\"" + escape(successUrl(session)) + "\">Return to the shop</a></p>";
      case "expired" -> "<h1>This checkout has expired</h1><p>Nothing was charged. Return to the shop to start"
          + " again.</p>" + back;
      default -> "<h1>Pay " + amount + "</h1>" + items
          + (error == null ? "" : "<p role=\"alert\" class=\"error\">" + escape(error) + "</p>")
          + "<form method=\"post\" action=\"" + escape(PATH + session.getString("id")) + "\">"
          + "<p><label>Email <input name=\"email\" type=\"email\" readonly value=\""
          + escape(session.getString("customer_email", "")) + "\"></label></p>"
          + "<p><label>Card number <input name=\"cardNumber\" inputmode=\"numeric\" autocomplete=\"cc-number\""
          + " required value=\"" + escape(card == null ? "" : card) + "\"></label></p>"
          + "<p><label>Expiry (MM / YY) <input name=\"expiry\" autocomplete=\"cc-exp\" required"
          + " placeholder=\"MM / YY\"></label></p>"
          + "<p><label>CVC <input name=\"cvc\" inputmode=\"numeric\" autocomplete=\"cc-csc\" required></label></p>"
          + "<p><label>Name on card <input name=\"name\" autocomplete=\"cc-name\"></label></p>"
          + "<p><button type=\"submit\">Pay " + amount + "</button></p></form>" + back;
    };
    html(ctx, status, "Checkout", "<p class=\"test-mode\">Test mode: pay with a Stripe test card, such as 4242 4242"
        + " 4242 4242 (any future expiry, any CVC).</p>" + body);
  }

  private static String invalidEntry(String card, String expiry, String cvc) {
    if (card == null || card.isBlank()) {
      return "Your card number is incomplete.";
    }
    String[] parts = expiry == null ? new String[0] : expiry.replace(" ", "").split("/");
    if (parts.length != 2 || !parts[0].matches("\\d{1,2}") || !parts[1].matches("\\d{2}|\\d{4}")) {
      return "Your card's expiration date is incomplete.";
    }
    int month = Integer.parseInt(parts[0]);
    int year = Integer.parseInt(parts[1]) + (parts[1].length() == 2 ? 2000 : 0);
    if (month < 1 || month > 12) {
      return "Your card's expiration date is invalid.";
    }
    if (YearMonth.of(year, month).isBefore(YearMonth.now(ZoneOffset.UTC))) {
      return "Your card's expiration year is in the past.";
    }
    if (cvc == null || !cvc.trim().matches("\\d{3,4}")) {
      return "Your card's security code is incomplete.";
    }
    return null;
  }

  private static String successUrl(JsonObject session) {
    return session.getString("success_url").replace("{CHECKOUT_SESSION_ID}", session.getString("id"));
  }

  private String base(RoutingContext ctx) {
    return "http://127.0.0.1:" + ctx.request().localAddress().port();
  }

  private static void redirect(RoutingContext ctx, String location) {
    ctx.response().setStatusCode(303).putHeader("Location", location).end();
  }

  private static void html(RoutingContext ctx, int status, String title, String body) {
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        .end("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\""
            + " content=\"width=device-width, initial-scale=1\"><title>" + escape(title) + " - Stripe (local test)"
            + "</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}"
            + "label{display:block}input{display:block;width:100%;padding:.5rem;margin-top:.25rem;font-size:1rem}"
            + "button{padding:.6rem 1.2rem;font-size:1rem;margin-right:.5rem}.error{color:#8a1111;font-weight:600}"
            + ".test-mode{background:#fff4d6;padding:.5rem}</style></head><body><main>" + body
            + "</main></body></html>");
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
        .replace("'", "&#39;");
  }
}
