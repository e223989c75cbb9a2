package dev.boxoffice.local.stripe;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Stripe's REST API, the subset Boxoffice uses, on 127.0.0.1: Checkout Sessions (create, retrieve, list, expire),
 * PaymentIntents (retrieve, list), Refunds (create, retrieve, list), Events (retrieve, list) and webhook endpoints.
 * Requests are form-encoded as Stripe takes them, authenticated with the secret key (Bearer or Basic, as curl's
 * {@code -u sk_test_...:} sends it), and answered with Stripe's objects and error JSON; a POST's
 * {@code Idempotency-Key} replays its first answer for 24 hours. The hosted checkout page is served by
 * {@link CheckoutPage} on the same port.
 */
final class StripeApiVerticle extends VerticleBase {

  /** The list parameters that select by a field of the object, as Stripe's lists take them. */
  private static final List<String> FILTERS = List.of("payment_intent", "charge", "status", "customer");

  private final LocalStripe.Settings settings;
  private final LocalStripe stripe;
  private final Map<String, Replay> replays = new HashMap<>();
  private HttpServer server;

  StripeApiVerticle(LocalStripe.Settings settings, LocalStripe stripe) {
    this.settings = settings;
    this.stripe = stripe;
  }

  private record Replay(String fingerprint, int status, JsonObject body, long storedAt) {
  }

  @Override
  public Future<?> start() {
    stripe.started(context);
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(256 * 1024));
    router.route("/v1/*").handler(this::authenticate);
    Ledger ledger = stripe.ledger();
    post(router, "/v1/checkout/sessions", (ctx, params) -> ledger.createSession(params));
    get(router, "/v1/checkout/sessions/:id", (ctx, params) -> ledger.session(ctx.pathParam("id")));
    get(router, "/v1/checkout/sessions", (ctx, params) -> list(ctx, params, ledger.sessions()));
    post(router, "/v1/checkout/sessions/:id/expire", (ctx, params) -> ledger.expire(ctx.pathParam("id"),
        requestId(ctx), ctx.request().getHeader("Idempotency-Key")));
    get(router, "/v1/payment_intents/:id", (ctx, params) -> ledger.intent(ctx.pathParam("id")));
    get(router, "/v1/payment_intents", (ctx, params) -> list(ctx, params, ledger.intents()));
    post(router, "/v1/refunds", (ctx, params) -> ledger.createRefund(params, requestId(ctx),
        ctx.request().getHeader("Idempotency-Key")));
    get(router, "/v1/refunds/:id", (ctx, params) -> ledger.refund(ctx.pathParam("id")));
    get(router, "/v1/refunds", (ctx, params) -> list(ctx, params, ledger.refunds()));
    get(router, "/v1/events/:id", (ctx, params) -> stripe.events().event(ctx.pathParam("id")));
    get(router, "/v1/events", (ctx, params) -> list(ctx, params, stripe.events().matching(params)));
    post(router, "/v1/webhook_endpoints", (ctx, params) -> stripe.webhooks().create(params,
        LocalStripe.newWebhookSecret()));
    get(router, "/v1/webhook_endpoints", (ctx, params) -> list(ctx, params, stripe.webhooks().endpoints()));
    get(router, "/v1/webhook_endpoints/:id", (ctx, params) -> stripe.webhooks().endpoint(ctx.pathParam("id")));
    post(router, "/v1/webhook_endpoints/:id", (ctx, params) -> stripe.webhooks().update(ctx.pathParam("id"), params));
    router.delete("/v1/webhook_endpoints/:id").handler(ctx -> answer(ctx, () -> stripe.webhooks()
        .delete(ctx.pathParam("id"))));
    router.route("/v1/*").handler(ctx -> error(ctx, new StripeError(404, "invalid_request_error", null,
        "Unrecognized request URL (" + ctx.request().method() + ": " + ctx.request().path() + "). This local Stripe"
        + " server serves the subset Boxoffice uses.", null)));
    new CheckoutPage(stripe).mount(router);
    vertx.setPeriodic(1_000, timer -> stripe.ledger().expireDue());
    vertx.setPeriodic(60_000, timer -> forgetOldReplays());
    return vertx.createHttpServer().requestHandler(router).listen(settings.port(), "127.0.0.1")
        .onSuccess(listening -> server = listening);
  }

  int actualPort() {
    return server.actualPort();
  }

  private interface Operation {
    JsonObject apply(RoutingContext ctx, JsonObject params);
  }

  private void get(Router router, String path, Operation operation) {
    router.get(path).handler(ctx -> answer(ctx, () -> operation.apply(ctx, FormBody.decode(ctx.request().query()))));
  }

  /** A POST, answered once per Idempotency-Key: a repeat with the same parameters gets the first answer again. */
  private void post(Router router, String path, Operation operation) {
    router.post(path).handler(ctx -> {
      String body = ctx.body().asString(StandardCharsets.UTF_8.name());
      JsonObject params = FormBody.decode(body == null ? "" : body);
      String key = ctx.request().getHeader("Idempotency-Key");
      if (key == null) {
        answer(ctx, () -> operation.apply(ctx, params));
        return;
      }
      String scope = ctx.<String>get("apiKey") + "\n" + key;
      String fingerprint = ctx.request().method() + " " + ctx.request().path() + " " + params.encode();
      Replay replay = replays.get(scope);
      if (replay != null && !replay.fingerprint().equals(fingerprint)) {
        error(ctx, new StripeError(400, "idempotency_error", "idempotency_key_in_use", "Keys for idempotent requests"
            + " can only be used with the same parameters they were first used with. Try using a key other than '"
            + key + "' if you meant to execute a different request.", null));
      } else if (replay != null) {
        reply(ctx.response().putHeader("Idempotent-Replayed", "true"), ctx, replay.status(), replay.body());
      } else {
        int status = 200;
        JsonObject answer;
        try {
          answer = view(operation.apply(ctx, params), params);
        } catch (StripeError refused) {
          status = refused.status();
          answer = refused.body();
        }
        replays.put(scope, new Replay(fingerprint, status, answer, System.currentTimeMillis()));
        reply(ctx.response(), ctx, status, answer);
      }
    });
  }

  private void answer(RoutingContext ctx, Supplier<JsonObject> operation) {
    try {
      JsonObject params = FormBody.decode(ctx.request().query());
      reply(ctx.response(), ctx, 200, view(operation.get(), params));
    } catch (StripeError refused) {
      error(ctx, refused);
    }
  }

  private void authenticate(RoutingContext ctx) {
    String key = apiKey(ctx.request().getHeader("Authorization"));
    if (key == null) {
      error(ctx, new StripeError(401, "invalid_request_error", null, "You did not provide an API key. You need to"
          + " provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer"
          + " YOUR_SECRET_KEY').", null));
    } else if (!key.equals(stripe.secretKey())) {
      String shown = key.length() > 4 ? key.substring(0, Math.min(8, key.length() - 4)) + "****"
          + key.substring(key.length() - 4) : "****";
      error(ctx, new StripeError(401, "invalid_request_error", null, "Invalid API Key provided: " + shown, null));
    } else {
      ctx.put("apiKey", key);
      ctx.next();
    }
  }

  private static String apiKey(String authorization) {
    if (authorization == null) {
      return null;
    }
    if (authorization.startsWith("Bearer ")) {
      return authorization.substring("Bearer ".length()).trim();
    }
    if (authorization.startsWith("Basic ")) {
      try {
        String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
            StandardCharsets.UTF_8);
        return decoded.contains(":") ? decoded.substring(0, decoded.indexOf(':')) : decoded;
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return null;
  }

  /** An object as the API shows it: internal fields left out, {@code expand[]} fields inlined. */
  private JsonObject view(JsonObject object, JsonObject params) {
    if ("checkout.session".equals(object.getString("object"))) {
      return expandSession(object, params);
    }
    return object.copy();
  }

  private JsonObject expandSession(JsonObject session, JsonObject params) {
    JsonObject view = session.copy();
    JsonArray lineItems = (JsonArray) view.remove("line_items");
    view.remove("payment_intent_data");
    List<Object> expand = params.getJsonArray("expand", new JsonArray()).getList();
    if (expand.contains("payment_intent") && view.getString("payment_intent") != null) {
      view.put("payment_intent", stripe.ledger().intent(view.getString("payment_intent")).copy());
    }
    if (expand.contains("line_items")) {
      view.put("line_items", new JsonObject().put("object", "list").put("data", lineItems).put("has_more", false)
          .put("url", "/v1/checkout/sessions/" + view.getString("id") + "/line_items"));
    }
    return view;
  }

  /** A list page, newest first, after {@code starting_after} or before {@code ending_before}, of {@code limit}. */
  private JsonObject list(RoutingContext ctx, JsonObject params, List<JsonObject> oldestFirst) {
    int limit = params.containsKey("limit") ? (int) Money.integer(params.getString("limit"), "limit") : 10;
    if (limit < 1 || limit > 100) {
      throw StripeError.invalid("limit", "This value must be between 1 and 100 (it currently is " + limit + ").");
    }
    List<JsonObject> newest = new ArrayList<>(oldestFirst.stream().filter(object -> FILTERS.stream()
        .allMatch(filter -> !params.containsKey(filter) || params.getString(filter).equals(object.getValue(filter))))
        .toList());
    Collections.reverse(newest);
    int from = 0;
    String after = params.getString("starting_after");
    if (after != null) {
      from = indexOf(newest, after) + 1;
    }
    String before = params.getString("ending_before");
    int to = newest.size();
    if (before != null) {
      to = indexOf(newest, before);
      from = Math.max(0, to - limit);
    }
    List<JsonObject> page = newest.subList(Math.min(from, to), Math.min(to, from + limit));
    JsonArray data = new JsonArray();
    page.forEach(object -> data.add(view(object, params)));
    return new JsonObject().put("object", "list").put("data", data).put("has_more", from + limit < to)
        .put("url", ctx.request().path());
  }

  private static int indexOf(List<JsonObject> objects, String id) {
    for (int i = 0; i < objects.size(); i++) {
      if (objects.get(i).getString("id").equals(id)) {
        return i;
      }
    }
    throw StripeError.noSuch("object", id, "starting_after");
  }

  private void forgetOldReplays() {
    long dayAgo = System.currentTimeMillis() - 24L * 60 * 60 * 1000;
    replays.values().removeIf(replay -> replay.storedAt() < dayAgo);
  }

  static String requestId(RoutingContext ctx) {
    String id = ctx.get("requestId");
    if (id == null) {
      id = Ledger.id("req");
      ctx.put("requestId", id);
    }
    return id;
  }

  private static void error(RoutingContext ctx, StripeError error) {
    reply(ctx.response(), ctx, error.status(), error.body());
  }

  private static void reply(HttpServerResponse response, RoutingContext ctx, int status,
                            JsonObject body) {
    response.setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .putHeader("Request-Id", requestId(ctx))
        .putHeader("Stripe-Version", LocalStripe.API_VERSION)
        .end(body.encode());
  }
}
