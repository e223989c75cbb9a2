package dev.boxoffice.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.Boxoffice;
import dev.boxoffice.backend.TestServers;
import dev.boxoffice.backend.auth.SessionKeys;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.stripe.StripeKeys;
import dev.boxoffice.codecs.session.Role;
import dev.boxoffice.codecs.session.SessionClaims;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.local.cloud.LocalPrincipal;
import dev.boxoffice.local.servers.LoopbackPorts;
import dev.boxoffice.local.stripe.LocalStripe;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One backend per test JVM on the real test PostgreSQL and Redis and a local Stripe server (its webhook endpoint
 * registered), with an HTTP client and helpers that sign session tokens with the backend's own key pair (as the
 * /verify-otp Lambda will) and set up events and ticket types.
 */
public final class TestApi implements AutoCloseable {

  public static final String ORGANIZER = "organizer@example.org";
  public static final String OTHER_ORGANIZER = "rival@example.org";
  /** In {@code BOXOFFICE_ADMIN_EMAILS}: approves organizers. */
  public static final String ADMIN = "admin@example.org";
  /** Door staff of {@link #ORGANIZER} only (granted by the bootstrap from the configuration). */
  public static final String DOOR_STAFF = "door@example.org";
  /** Door staff of {@link #OTHER_ORGANIZER} only. */
  public static final String RIVAL_DOOR_STAFF = "rival-door@example.org";
  public static final String SERVERLESS_API_URL = "http://127.0.0.1:9/restapis/test/prod/_user_request_";
  public static final String IMAGE_BASE_URL = "http://127.0.0.1:9/media";
  /** The ticket signing pair: the test signs tokens as the create-ticket Lambda would. */
  public static final KeyPair TICKET_KEYS = SessionTokens.generateKeyPair();

  private static TestApi shared;

  private final Boxoffice app;
  private final SessionKeys keys;
  private final Vertx clientVertx;
  private final WebClient client;
  private final LocalStripe ownStripe;
  private final LocalStripe.WebhookEndpoint webhook;
  private final LocalStripe stripe;

  private TestApi(Boxoffice app, SessionKeys keys, Vertx clientVertx, WebClient client, LocalStripe ownStripe,
                  LocalStripe.WebhookEndpoint webhook, LocalStripe stripe) {
    this.app = app;
    this.keys = keys;
    this.clientVertx = clientVertx;
    this.client = client;
    this.ownStripe = ownStripe;
    this.webhook = webhook;
    this.stripe = stripe;
  }

  public static synchronized TestApi shared() {
    if (shared == null) {
      try {
        Config base = TestServers.config(Files.createTempDirectory("static"), TestServers.redis());
        Config config = base.toBuilder()
            .dataDir(Files.createTempDirectory("boxoffice-data"))
            .auth(new Config.Auth(Optional.empty(), Optional.empty(),
                Set.of(ORGANIZER, OTHER_ORGANIZER), base.auth().issuer(), base.auth().audience(),
                base.auth().tokenLifetime(), base.auth().clockSkew(), Map.of(DOOR_STAFF, Set.of(ORGANIZER), RIVAL_DOOR_STAFF, Set.of(OTHER_ORGANIZER)),
                Set.of(ADMIN)))
            .serverless(new Config.Serverless(Optional.of(SERVERLESS_API_URL),
                Optional.of(SessionTokens.publicKeyPem(TICKET_KEYS.getPublic())), Optional.empty(), "us-east-1",
                Optional.empty(), Optional.empty(), Optional.of(IMAGE_BASE_URL), Optional.empty()))
            .build();
        shared = start(config);
        Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException("the backend did not start", e);
      }
    }
    return shared;
  }

  /** A backend of the caller's own on {@code config}, which the caller closes. */
  public static TestApi start(Config config) throws Exception {
    return start(config, Boxoffice.Tuning.defaults());
  }

  /**
   * A backend with a local Stripe server of its own whose webhooks reach it, signing its AWS calls with the local
   * administrator's key: its tests run their own Step Functions engine, which checks no IAM; the backend's task role
   * is checked against compute.yaml by local/stack's tests.
   */
  public static TestApi start(Config config, Boxoffice.Tuning tuning) throws Exception {
    LocalStripe stripe = LocalStripe.start(new LocalStripe.Settings(0, Duration.ofMillis(500), 6));
    LocalStripe.WebhookEndpoint webhook = stripe.addWebhookEndpoint("http://127.0.0.1:" + config.httpPort()
        + WEBHOOK_PATH);
    return start(config, tuning, stripe, webhook, true);
  }

  /**
   * A backend on a local Stripe server the caller keeps (and closes), whose endpoint {@code webhook} is this
   * backend's: how a test restarts a backend that crashed, on the same Stripe account.
   */
  public static TestApi start(Config config, Boxoffice.Tuning tuning, LocalStripe stripe,
                              LocalStripe.WebhookEndpoint webhook) throws Exception {
    return start(config, tuning, stripe, webhook, false);
  }

  private static TestApi start(Config config, Boxoffice.Tuning tuning, LocalStripe stripe,
                               LocalStripe.WebhookEndpoint webhook, boolean ownsStripe) throws Exception {
    Config withStripe = config.toBuilder().payments(new Config.Payments("http://127.0.0.1:" + config.httpPort(),
        Optional.empty(), Optional.of(stripe.apiBase().toString()))).build();
    Boxoffice app = Boxoffice.start(withStripe, tuning, LocalPrincipal.admin().credentialsProvider(),
        () -> new StripeKeys(stripe.secretKey(), List.of(webhook.secret())));
    Vertx clientVertx = Vertx.vertx();
    WebClient client = WebClient.create(clientVertx, new WebClientOptions()
            .setDefaultHost("127.0.0.1").setDefaultPort(config.httpPort()),
        new PoolOptions().setHttp1MaxSize(64).setMaxWaitQueueSize(-1));
    return new TestApi(app, SessionKeys.load(config), clientVertx, client, ownsStripe ? stripe : null, webhook,
        stripe);
  }

  public static final String WEBHOOK_PATH = "/api/payments/stripe/webhook";

  /** The backend's local Stripe server. */
  public LocalStripe stripe() {
    return stripe;
  }

  /** The backend's webhook endpoint at its local Stripe server. */
  public LocalStripe.WebhookEndpoint webhook() {
    return webhook;
  }

  public Boxoffice app() {
    return app;
  }

  public WebClient client() {
    return client;
  }

  public String buyerToken(String email) {
    return token(email, EnumSet.of(Role.BUYER));
  }

  public String organizerToken(String email) {
    return token(email, EnumSet.of(Role.BUYER, Role.ORGANIZER));
  }

  public String token(String email, Set<Role> roles) {
    Instant now = Instant.now();
    Config.Auth auth = app.config().auth();
    return SessionTokens.issue(new SessionClaims(email, roles, now, now.plus(Duration.ofHours(1)), auth.issuer(),
        auth.audience()), keys.privateKey().orElseThrow());
  }

  public HttpRequest<Buffer> request(HttpMethod method, String path, String token) {
    HttpRequest<Buffer> request = client.request(method, path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request;
  }

  /** A request to another backend on {@code port} of the loopback interface. */
  public HttpRequest<Buffer> request(HttpMethod method, int port, String path, String token) {
    HttpRequest<Buffer> request = client.request(method, port, "127.0.0.1", path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return request;
  }

  /** Sends and waits, from a test thread (never an event loop). */
  public HttpResponse<Buffer> send(HttpMethod method, String path, String token, Object body) {
    HttpRequest<Buffer> request = request(method, path, token);
    Future<HttpResponse<Buffer>> sent = body == null ? request.send()
        : body instanceof JsonObject json ? request.sendJsonObject(json)
        : request.putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body.toString()));
    return await(sent);
  }

  public static <T> T await(Future<T> future) {
    try {
      return future.await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A published event of {@link #ORGANIZER}; returns its id. */
  public String publishedEvent(String title) {
    String eventId = draftEvent(ORGANIZER, title);
    HttpResponse<Buffer> published = send(HttpMethod.POST, "/api/events/" + eventId + "/publish",
        organizerToken(ORGANIZER), null);
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(200);
    return eventId;
  }

  /** A published event of {@link #ORGANIZER} whose creation also sets {@code settings} (e.g. maxTicketsPerBuyer). */
  public String publishedEvent(String title, JsonObject settings) {
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/api/events", organizerToken(ORGANIZER),
        newEvent(title).mergeIn(settings));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String eventId = created.bodyAsJsonObject().getString("id");
    HttpResponse<Buffer> published = send(HttpMethod.POST, "/api/events/" + eventId + "/publish",
        organizerToken(ORGANIZER), null);
    assertThat(published.statusCode()).as(published.bodyAsString()).isEqualTo(200);
    return eventId;
  }

  /**
   * Another backend process's twin on the same PostgreSQL, Redis and session keys (the same data folder) on a port
   * of its own, as ECS runs several tasks; the caller closes it.
   */
  public TestApi anotherBackend() throws Exception {
    return start(app.config().toBuilder().http("127.0.0.1", LoopbackPorts.free()).build());
  }

  public String draftEvent(String organizer, String title) {
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/api/events", organizerToken(organizer), newEvent(title));
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("id");
  }

  public static JsonObject newEvent(String title) {
    return new JsonObject()
        .put("title", title)
        .put("description", "An evening of tests")
        .put("category", "concert")
        .put("venue", "Hall 1")
        .put("city", "Lyon")
        .put("startsAt", "2030-06-01T18:00:00Z")
        .put("endsAt", "2030-06-01T23:00:00Z")
        .put("timeZone", "Europe/Paris");
  }

  /** A free ticket type on sale now of an event of {@link #ORGANIZER} (bought at once); returns its id. */
  public String ticketTypeOnSale(String eventId, int capacity, int maxPerOrder) {
    return ticketTypeOnSale(eventId, capacity, maxPerOrder, 0, "EUR");
  }

  /** A ticket type on sale now; priced ({@code priceMinor > 0}), it is held and paid. Returns its id. */
  public String ticketTypeOnSale(String eventId, int capacity, int maxPerOrder, long priceMinor, String currency) {
    JsonObject body = new JsonObject()
        .put("name", "Standing")
        .put("priceMinor", priceMinor)
        .put("currency", currency)
        .put("capacity", capacity)
        .put("salesStart", Instant.now().minus(Duration.ofHours(1)).toString())
        .put("salesEnd", "2030-06-01T18:00:00Z")
        .put("maxPerOrder", maxPerOrder);
    HttpResponse<Buffer> created = send(HttpMethod.POST, "/api/events/" + eventId + "/ticket-types",
        organizerToken(ORGANIZER), body);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    return created.bodyAsJsonObject().getString("id");
  }

  public Future<HttpResponse<Buffer>> purchase(String ticketTypeId, String buyerToken, String idempotencyKey,
                                               int quantity) {
    return request(HttpMethod.POST, "/api/ticket-types/" + ticketTypeId + "/purchases", buyerToken)
        .putHeader("Idempotency-Key", idempotencyKey)
        .sendJsonObject(new JsonObject().put("quantity", quantity));
  }

  /** Holds {@code quantity} priced tickets for the buyer. */
  public Future<HttpResponse<Buffer>> hold(String ticketTypeId, String buyerToken, String idempotencyKey,
                                           int quantity) {
    return request(HttpMethod.POST, "/api/ticket-types/" + ticketTypeId + "/holds", buyerToken)
        .putHeader("Idempotency-Key", idempotencyKey)
        .sendJsonObject(new JsonObject().put("quantity", quantity));
  }

  public static String newKey() {
    return UUID.randomUUID().toString();
  }

  @Override
  public void close() {
    try {
      clientVertx.close().await(10, TimeUnit.SECONDS);
      app.close();
      if (ownStripe != null) {
        ownStripe.close();
      }
    } catch (Exception ignored) {
      // the JVM is exiting
    }
  }
}
