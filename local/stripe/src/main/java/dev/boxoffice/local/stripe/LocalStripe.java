package dev.boxoffice.local.stripe;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A Stripe-compatible server on 127.0.0.1, on a Vert.x of its own, so that the real {@code stripe-java} client (and
 * any other Stripe client: curl, the Node {@code stripe} package) runs against it locally: Checkout Sessions with a
 * hosted test checkout page, the PaymentIntents and Charges Checkout makes, Refunds, Events, and webhook endpoints
 * with signed deliveries retried with exponential back-off. It generates its own test secret key at start; its
 * objects live in memory for the life of the process.
 *
 * <p>Besides the API, the admin methods here do what Stripe's Dashboard would: register the local stack's webhook
 * endpoint, disable it, roll its secret, resend an event.
 */
public final class LocalStripe implements AutoCloseable {

  /** The API version its objects and events follow: that of the stripe-java release Boxoffice uses. */
  public static final String API_VERSION = "2026-07-29.dahlia";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /**
   * {@code port} 0 picks a free one; a failed webhook delivery is retried after {@code firstWebhookRetry}, then twice
   * as long each time, up to {@code webhookAttempts} attempts in all.
   */
  public record Settings(int port, Duration firstWebhookRetry, int webhookAttempts) {

    /** Stripe-like back-off: 5 s, 10 s, 20 s... for 8 attempts (about 10 minutes in all). */
    public static Settings defaults(int port) {
      return new Settings(port, Duration.ofSeconds(5), 8);
    }
  }

  /** A registered webhook endpoint and its signing secret. */
  public record WebhookEndpoint(String id, String url, String secret) {
  }

  private final Vertx vertx = Vertx.vertx();
  private final String secretKey = "sk_test_" + random(40);
  private final Webhooks webhooks;
  private final EventLog events;
  private final Ledger ledger;
  private final URI apiBase;
  private Context context;

  private LocalStripe(Settings settings, int port) {
    Clock clock = Clock.systemUTC();
    this.apiBase = URI.create("http://127.0.0.1:" + port);
    this.webhooks = new Webhooks(vertx, clock, settings.firstWebhookRetry(), settings.webhookAttempts());
    this.events = new EventLog(clock, webhooks);
    this.ledger = new Ledger(clock, apiBase + CheckoutPage.PATH, events::record);
  }

  public static LocalStripe start(Settings settings) throws Exception {
    int port = settings.port() == 0 ? freePort() : settings.port();
    LocalStripe stripe = new LocalStripe(settings, port);
    try {
      StripeApiVerticle api = new StripeApiVerticle(new Settings(port, settings.firstWebhookRetry(),
          settings.webhookAttempts()), stripe);
      stripe.vertx.deployVerticle(api).await(60, TimeUnit.SECONDS);
      return stripe;
    } catch (Exception e) {
      stripe.close();
      throw e;
    }
  }

  /** Where Stripe's API is here, to give a client as its API base: {@code http://127.0.0.1:<port>}. */
  public URI apiBase() {
    return apiBase;
  }

  /** The one secret key the API accepts. */
  public String secretKey() {
    return secretKey;
  }

  /** Registers an endpoint for every event type, as the stack does for its backend's webhook route. */
  public WebhookEndpoint addWebhookEndpoint(String url) {
    return onContext(() -> {
      JsonObject created = webhooks.create(new JsonObject().put("url", url)
          .put("enabled_events", new JsonArray().add("*")).put("api_version", API_VERSION), newWebhookSecret());
      return new WebhookEndpoint(created.getString("id"), url, created.getString("secret"));
    });
  }

  /** Stops (or resumes) deliveries to an endpoint, as disabling it in the Dashboard does. */
  public void setWebhookEndpointEnabled(String endpointId, boolean enabled) {
    onContext(() -> webhooks.update(endpointId, new JsonObject().put("disabled", String.valueOf(!enabled))));
  }

  /** A new signing secret for an endpoint; deliveries carry a signature with each secret until {@code overlap}. */
  public String rollWebhookSecret(String endpointId, Duration overlap) {
    String secret = newWebhookSecret();
    onContext(() -> {
      webhooks.roll(endpointId, secret, overlap);
      return null;
    });
    return secret;
  }

  /** Delivers an event again to every subscribed endpoint. */
  public void resendEvent(String eventId) {
    onContext(() -> {
      events.resend(eventId);
      return null;
    });
  }

  Ledger ledger() {
    return ledger;
  }

  EventLog events() {
    return events;
  }

  Webhooks webhooks() {
    return webhooks;
  }

  void started(Context context) {
    this.context = context;
  }

  static String newWebhookSecret() {
    return "whsec_" + random(32);
  }

  private <T> T onContext(Callable<T> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(ignored -> {
      try {
        done.complete(work.call());
      } catch (Exception e) {
        done.fail(e);
      }
    });
    try {
      return done.future().await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String random(int length) {
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return text.toString();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    webhooks.close();
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
