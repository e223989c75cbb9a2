package dev.boxoffice.local.stripe;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The account's events, oldest first, as {@code GET /v1/events} lists them (by {@code type}, {@code types[]} and
 * {@code created[gt|gte|lt|lte]}); each is handed to the {@link Webhooks} when it happens, and can be delivered again.
 */
final class EventLog {

  private final Map<String, JsonObject> events = new LinkedHashMap<>();
  private final Clock clock;
  private final Webhooks webhooks;

  EventLog(Clock clock, Webhooks webhooks) {
    this.clock = clock;
    this.webhooks = webhooks;
  }

  void record(Ledger.Change change) {
    String id = Ledger.id("evt");
    JsonObject event = new JsonObject()
        .put("id", id).put("object", "event").put("api_version", LocalStripe.API_VERSION)
        .put("created", clock.instant().getEpochSecond())
        .put("data", new JsonObject().put("object", publicView(change.object())))
        .put("livemode", false).put("pending_webhooks", 0)
        .put("request", new JsonObject().put("id", change.requestId()).put("idempotency_key", change.idempotencyKey()))
        .put("type", change.type());
    events.put(id, event);
    event.put("pending_webhooks", webhooks.deliver(event));
  }

  /** Delivers an event again to every subscribed endpoint, as the Dashboard's "Resend" does. */
  void resend(String id) {
    webhooks.deliver(event(id));
  }

  JsonObject event(String id) {
    JsonObject event = events.get(id);
    if (event == null) {
      throw StripeError.noSuch("event", id, "id");
    }
    return event;
  }

  List<JsonObject> matching(JsonObject params) {
    String type = params.getString("type");
    JsonArray types = params.getJsonArray("types");
    Object created = params.getValue("created");
    List<JsonObject> found = new ArrayList<>();
    for (JsonObject event : events.values()) {
      if (type != null && !matchesType(type, event.getString("type"))) {
        continue;
      }
      if (types != null && types.stream().noneMatch(each -> matchesType((String) each, event.getString("type")))) {
        continue;
      }
      if (created != null && !inRange(created, event.getLong("created"))) {
        continue;
      }
      found.add(event);
    }
    return found;
  }

  /** {@code checkout.session.*} matches every checkout session event, as Stripe's wildcard does. */
  private static boolean matchesType(String pattern, String type) {
    return pattern.endsWith(".*") ? type.startsWith(pattern.substring(0, pattern.length() - 1))
        : pattern.equals(type);
  }

  private static boolean inRange(Object created, long at) {
    if (created instanceof JsonObject range) {
      return (!range.containsKey("gt") || at > Money.integer(range.getString("gt"), "created[gt]"))
          && (!range.containsKey("gte") || at >= Money.integer(range.getString("gte"), "created[gte]"))
          && (!range.containsKey("lt") || at < Money.integer(range.getString("lt"), "created[lt]"))
          && (!range.containsKey("lte") || at <= Money.integer(range.getString("lte"), "created[lte]"));
    }
    return at == Money.integer(String.valueOf(created), "created");
  }

  /** What an event carries of an object: what the API shows, not the server's own fields. */
  private static JsonObject publicView(JsonObject object) {
    JsonObject view = object.copy();
    view.remove("line_items");
    view.remove("payment_intent_data");
    return view;
  }
}
