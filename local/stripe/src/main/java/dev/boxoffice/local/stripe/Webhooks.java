package dev.boxoffice.local.stripe;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Webhook endpoints and the signed delivery of events to them, as Stripe does it: each event is POSTed as JSON to
 * every enabled endpoint that subscribed to its type, with a {@code Stripe-Signature: t=<unix seconds>,v1=<hex>}
 * header, HMAC-SHA256 of {@code "<t>.<body>"} keyed with each of the endpoint's signing secrets (two while one is
 * rolled). An answer other than 2xx, or none within 10 seconds, is retried with exponential back-off: after the first
 * delay, then twice as long each time, up to the attempt limit.
 */
final class Webhooks {

  private static final Logger LOG = LoggerFactory.getLogger(Webhooks.class);
  private static final long ATTEMPT_TIMEOUT_MS = 10_000;

  private final Vertx vertx;
  private final WebClient client;
  private final Clock clock;
  private final Duration firstRetry;
  private final int maxAttempts;
  private final Map<String, JsonObject> endpoints = new LinkedHashMap<>();
  private final Map<String, List<String>> secrets = new LinkedHashMap<>();

  Webhooks(Vertx vertx, Clock clock, Duration firstRetry, int maxAttempts) {
    this.vertx = vertx;
    this.client = WebClient.create(vertx, new WebClientOptions().setConnectTimeout(5_000).setKeepAlive(false));
    this.clock = clock;
    this.firstRetry = firstRetry;
    this.maxAttempts = maxAttempts;
  }

  /** {@code POST /v1/webhook_endpoints}; the answer (and only it) carries the signing secret. */
  JsonObject create(JsonObject params, String secret) {
    String url = params.getString("url");
    if (url == null) {
      throw StripeError.missing("url");
    }
    if (!url.startsWith("http://") && !url.startsWith("https://")) {
      throw StripeError.invalid("url", "Invalid URL: " + url);
    }
    JsonArray enabled = params.getJsonArray("enabled_events");
    if (enabled == null || enabled.isEmpty()) {
      throw StripeError.missing("enabled_events");
    }
    String id = Ledger.id("we");
    JsonObject endpoint = new JsonObject().put("id", id).put("object", "webhook_endpoint")
        .put("api_version", params.getString("api_version")).put("created", clock.instant().getEpochSecond())
        .put("description", params.getString("description")).put("enabled_events", enabled).put("livemode", false)
        .put("metadata", params.getJsonObject("metadata", new JsonObject())).put("status", "enabled").put("url", url);
    endpoints.put(id, endpoint);
    secrets.put(id, new ArrayList<>(List.of(secret)));
    return endpoint.copy().put("secret", secret);
  }

  JsonObject endpoint(String id) {
    JsonObject endpoint = endpoints.get(id);
    if (endpoint == null) {
      throw StripeError.noSuch("webhook_endpoint", id, "webhook_endpoint");
    }
    return endpoint;
  }

  List<JsonObject> endpoints() {
    return new ArrayList<>(endpoints.values());
  }

  /** {@code POST /v1/webhook_endpoints/{id}}: {@code disabled=true} stops deliveries (a test's "webhook never"). */
  JsonObject update(String id, JsonObject params) {
    JsonObject endpoint = endpoint(id);
    if (params.containsKey("disabled")) {
      endpoint.put("status", Boolean.parseBoolean(params.getString("disabled")) ? "disabled" : "enabled");
    }
    if (params.containsKey("url")) {
      endpoint.put("url", params.getString("url"));
    }
    if (params.getJsonArray("enabled_events") != null) {
      endpoint.put("enabled_events", params.getJsonArray("enabled_events"));
    }
    return endpoint;
  }

  JsonObject delete(String id) {
    endpoint(id);
    endpoints.remove(id);
    secrets.remove(id);
    return new JsonObject().put("id", id).put("object", "webhook_endpoint").put("deleted", true);
  }

  /** Rolls the signing secret: both are used until {@code overlap} has passed, as Stripe's roll does. */
  void roll(String id, String secret, Duration overlap) {
    endpoint(id);
    List<String> current = secrets.get(id);
    String previous = current.get(current.size() - 1);
    current.clear();
    current.add(previous);
    current.add(secret);
    vertx.setTimer(Math.max(1, overlap.toMillis()), timer -> current.remove(previous));
  }

  /** Sends {@code event} to every enabled endpoint subscribed to its type; returns how many it goes to. */
  int deliver(JsonObject event) {
    int count = 0;
    for (JsonObject endpoint : endpoints.values()) {
      if (!"enabled".equals(endpoint.getString("status")) || !subscribed(endpoint, event.getString("type"))) {
        continue;
      }
      count++;
      attempt(endpoint.getString("id"), event.encode(), event.getString("id"), 1);
    }
    return count;
  }

  private static boolean subscribed(JsonObject endpoint, String type) {
    JsonArray enabled = endpoint.getJsonArray("enabled_events");
    return enabled.contains("*") || enabled.contains(type);
  }

  private void attempt(String endpointId, String payload, String eventId, int attempt) {
    JsonObject endpoint = endpoints.get(endpointId);
    if (endpoint == null || !"enabled".equals(endpoint.getString("status"))) {
      return;
    }
    client.postAbs(endpoint.getString("url"))
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("User-Agent", "Stripe/1.0 (+https://stripe.com/docs/webhooks)")
        .putHeader("Stripe-Signature", signature(payload, secrets.get(endpointId)))
        .timeout(ATTEMPT_TIMEOUT_MS)
        .sendBuffer(Buffer.buffer(payload))
        .onComplete(done -> {
          boolean delivered = done.succeeded() && done.result().statusCode() / 100 == 2;
          if (delivered) {
            return;
          }
          String why = done.succeeded() ? "HTTP " + done.result().statusCode() : done.cause().toString();
          if (attempt >= maxAttempts) {
            LOG.warn("gave up delivering {} to {} after {} attempts: {}", eventId, endpoint.getString("url"),
                attempt, why);
            return;
          }
          long delay = firstRetry.toMillis() << (attempt - 1);
          LOG.info("delivery {} of {} to {} failed ({}); retrying in {} ms", attempt, eventId,
              endpoint.getString("url"), why, delay);
          vertx.setTimer(Math.max(1, delay), timer -> attempt(endpointId, payload, eventId, attempt + 1));
        });
  }

  private String signature(String payload, List<String> endpointSecrets) {
    long timestamp = clock.instant().getEpochSecond();
    StringBuilder header = new StringBuilder("t=").append(timestamp);
    for (String secret : endpointSecrets) {
      header.append(",v1=").append(hmac(secret, timestamp + "." + payload));
    }
    return header.toString();
  }

  private static String hmac(String secret, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  void close() {
    client.close();
  }
}
