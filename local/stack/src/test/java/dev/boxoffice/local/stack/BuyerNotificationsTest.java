package dev.boxoffice.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.Boxoffice;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.outbox.OutboxRelayVerticle;
import com.sun.net.httpserver.HttpServer;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What the backend's domain events tell buyers, through the real path on the one-command stack: outbox relay →
 * SNS notification topic (signed as the task role and checked by the local IAM) → transactional SQS queue → mailer
 * Lambda → SES → the mail catcher. Each buyer is new to the test, so their inbox holds exactly what it caused.
 *
 * <p>The last tests add two backends, as ECS runs several tasks, whose notice catch-up waits seconds instead of
 * minutes, and an HTTP endpoint of the test's own subscribed to the notification topic, which receives each
 * notification once per publish: they leave the outbox as a backend that died between relaying and publishing would, and count what
 * SNS published.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuyerNotificationsTest {

  private static final String ORGANIZER = "notices-organizer@boxoffice.test";
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  /** Long enough for a second email to have come through a stack that delivers the first in about a second. */
  private static final Duration QUIET = Duration.ofSeconds(8);
  /** HTTP/1.1, as the ALB speaks to its targets: no h2c upgrade, which a backend just started may drop. */
  private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private static final String REFUNDED_BUYER = buyer("refunded");
  /** Longer than the live path takes to publish and record a notice on a loaded machine, so it is left alone. */
  private static final Duration CATCH_UP_SETTLE_TIME = Duration.ofSeconds(10);
  private static final List<Boxoffice> CATCH_UP_BACKENDS = new ArrayList<>();
  /** How many times each notification id reached the test's own subscriber, that is, how often SNS published it. */
  private static final Map<String, Integer> PUBLISHES = new ConcurrentHashMap<>();

  private static LocalStack stack;
  private static String backend;
  private static String inbox;
  private static String organizerToken;
  private static HttpServer tap;

  @BeforeAll
  static void startStack() throws Exception {
    Path dataDir = Files.createTempDirectory("boxoffice-notices");
    Map<String, String> env = TestStackEnvironment.in(dataDir, ORGANIZER);
    stack = new LocalStack();
    stack.start(LocalStackSettings.fromEnvironment(env), env);
    backend = "http://127.0.0.1:" + stack.backendConfig().httpPort();
    inbox = stack.cloud().inboxUrl().toString().replaceAll("/$", "");
    organizerToken = token(ORGANIZER);
  }

  @AfterAll
  static void stopStack() throws Exception {
    for (Boxoffice catchUpBackend : CATCH_UP_BACKENDS) {
      catchUpBackend.close();
    }
    if (tap != null) {
      tap.stop(0);
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName("an order the organizer cancels mails its buyer the cancellation, then exactly one refund of €50.00")
  void refundByTheOrganizer() throws Exception {
    String ticketTypeId = ticketTypeOf(publishedEvent("Refund Night", 2500));
    String buyerToken = token(REFUNDED_BUYER);
    String holdId = hold(buyerToken, ticketTypeId, 2);
    pay(buyerToken, holdId, "4242424242424242");
    awaitOrder(buyerToken, holdId);
    // The tickets' email comes from issuance, which a busy machine may finish after a cancellation: wait for it
    // first, so that the order of the three mails is the test's, not the machine's.
    awaitMail(REFUNDED_BUYER, mail -> mail.getString("subject").equals("Your tickets for Refund Night"));

    body(send("POST", backend + "/api/orders/" + holdId + "/cancel", organizerToken, null), 200);

    JsonObject cancelled = awaitMail(REFUNDED_BUYER, mail -> mail.getString("subject")
        .equals("Your order for Refund Night is cancelled"));
    assertThat(cancelled.getString("text")).contains("(2 tickets) is cancelled").contains("refunded €50.00");
    JsonObject refund = awaitMail(REFUNDED_BUYER, mail -> mail.getString("subject")
        .equals("Refund of €50.00: Refund Night"));
    assertThat(refund.getString("text")).contains("We refunded €50.00 to your card for Refund Night")
        .contains("The organizer cancelled your order (2 tickets)").contains("5 to 10 business days");
    Thread.sleep(QUIET.toMillis());
    assertThat(subjects(REFUNDED_BUYER)).as("one email each, never twice").containsExactlyInAnyOrder(
        "Your tickets for Refund Night", "Your order for Refund Night is cancelled", "Refund of €50.00: Refund Night");
  }

  @Test
  @Order(2)
  @DisplayName("a hold that runs out unpaid mails its buyer once that the tickets went back on sale")
  void holdExpires() throws Exception {
    String eventId = publishedEvent("Expiry Night", 1500);
    String buyer = buyer("expired");
    String holdId = hold(token(buyer), ticketTypeOf(eventId), 3);
    // The organizer's shortest hold is a minute; the test moves this one's expiry into the past instead of waiting,
    // and the hold sweeper releases it as it would any other.
    try (Connection db = database();
         PreparedStatement expire = db.prepareStatement(
             "UPDATE holds SET expires_at = now() - interval '1 second' WHERE id = ?::uuid")) {
      expire.setString(1, holdId);
      assertThat(expire.executeUpdate()).isEqualTo(1);
    }

    JsonObject expired = awaitMail(buyer, mail -> mail.getString("subject").equals("Your hold ran out: Expiry Night"));
    assertThat(expired.getString("text")).contains("The 3 tickets we held for you for Expiry Night ran out")
        .contains("went back on sale").contains("Nothing was charged").contains("/events/" + eventId);
    Thread.sleep(QUIET.toMillis());
    assertThat(subjects(buyer)).containsExactly("Your hold ran out: Expiry Night");
  }

  @Test
  @Order(3)
  @DisplayName("a declined card mails its buyer the bank's reason and the hold's page to pay with another")
  void paymentDeclined() throws Exception {
    String buyer = buyer("declined");
    String buyerToken = token(buyer);
    String holdId = hold(buyerToken, ticketTypeOf(publishedEvent("Declined Night", 1000)), 1);
    pay(buyerToken, holdId, "4000000000009995");

    JsonObject declined = awaitMail(buyer, mail -> mail.getString("subject")
        .equals("Payment declined: Declined Night"));
    assertThat(declined.getString("text")).containsIgnoringCase("insufficient funds")
        .contains("still held for you until").contains("/holds/" + holdId);
  }

  @Test
  @Order(4)
  @DisplayName("an event cancelled with 3 orders mails each of the 3 buyers once")
  void eventCancelled() throws Exception {
    String eventId = publishedEvent("Cancelled Night", 0);
    String ticketTypeId = ticketTypeOf(eventId);
    List<String> buyers = List.of(buyer("event-a"), buyer("event-b"), buyer("event-c"));
    for (String buyer : buyers) {
      purchase(token(buyer), ticketTypeId);
    }

    body(send("POST", backend + "/api/events/" + eventId + "/cancel", organizerToken, null), 200);

    for (String buyer : buyers) {
      JsonObject mail = awaitMail(buyer, candidate -> candidate.getString("subject").equals("Cancelled: Cancelled Night"));
      assertThat(mail.getString("text")).contains("The organizer cancelled the event")
          .as("free tickets: no refund to speak of").doesNotContain("refunded");
    }
    Thread.sleep(QUIET.toMillis());
    for (String buyer : buyers) {
      assertThat(subjects(buyer)).filteredOn(subject -> subject.startsWith("Cancelled:")).hasSize(1);
    }
  }

  @Test
  @Order(5)
  @DisplayName("the outbox relayed again publishes every notification again, and nobody gets a second email")
  void replayMailsNobodyTwice() throws Exception {
    List<String> before = subjects(REFUNDED_BUYER);
    assertThat(before).contains("Refund of €50.00: Refund Night");
    double published = publishedNotifications();
    int replayed;
    try (Connection db = database();
         PreparedStatement replay = db.prepareStatement("UPDATE outbox SET sent_at = NULL WHERE type IN"
             + " ('HoldExpired', 'PaymentDeclined', 'PaymentRefunded', 'OrderCancelled')")) {
      replayed = replay.executeUpdate();
    }
    assertThat(replayed).isGreaterThanOrEqualTo(6);

    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (publishedNotifications() < published + replayed) {
      assertThat(System.nanoTime()).as("the replayed events were published to SNS again").isLessThan(deadline);
      Thread.sleep(200);
    }
    Thread.sleep(QUIET.toMillis());
    assertThat(subjects(REFUNDED_BUYER)).containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  @Order(6)
  @DisplayName("a cancellation relayed by a backend that died before publishing it is published by another backend's"
      + " catch-up, once, and its buyer is mailed once")
  void catchUpAfterACrash() throws Exception {
    startCatchUpBackends();
    String buyer = buyer("crash");
    String orderId = purchase(token(buyer), ticketTypeOf(publishedEvent("Crash Night", 0)));
    double caughtUp = caughtUp();

    relayedAndLost(() -> body(send("POST", backend + "/api/orders/" + orderId + "/cancel", organizerToken, null), 200),
        List.of(orderId));

    JsonObject cancelled = awaitMail(buyer, mail -> mail.getString("subject")
        .equals("Your order for Crash Night is cancelled"));
    assertThat(cancelled.getString("text")).contains("is cancelled");
    assertThat(publishesOf("order-cancelled:" + orderId)).as("SNS published it once").isEqualTo(1);
    assertThat(caughtUp()).as("by a catch-up").isEqualTo(caughtUp + 1);
    assertThat(subjects(buyer)).filteredOn(subject -> subject.endsWith("is cancelled")).hasSize(1);
    assertThat(recorded(orderId)).isTrue();
  }

  @Test
  @Order(7)
  @DisplayName("a cancellation published as usual is recorded, and the catch-ups pass it without publishing it again")
  void noCatchUpWhenPublished() throws Exception {
    startCatchUpBackends();
    String buyer = buyer("published");
    String orderId = purchase(token(buyer), ticketTypeOf(publishedEvent("Usual Night", 0)));
    double caughtUp = caughtUp();

    body(send("POST", backend + "/api/orders/" + orderId + "/cancel", organizerToken, null), 200);

    awaitMail(buyer, mail -> mail.getString("subject").equals("Your order for Usual Night is cancelled"));
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!caughtUpPast(orderId)) {
      assertThat(System.nanoTime()).as("the notice catch-up read past the cancellation").isLessThan(deadline);
      Thread.sleep(200);
    }
    assertThat(publishesOf("order-cancelled:" + orderId)).as("SNS published it once").isEqualTo(1);
    assertThat(caughtUp()).as("no catch-up published anything").isEqualTo(caughtUp);
    assertThat(recorded(orderId)).isTrue();
  }

  @Test
  @Order(8)
  @DisplayName("backends catching up at once publish each of 12 lost cancellations once, and each buyer gets one"
      + " email")
  void catchUpsTogetherPublishOnce() throws Exception {
    startCatchUpBackends();
    String eventId = publishedEvent("Lost Night", 0);
    String ticketTypeId = ticketTypeOf(eventId);
    Map<String, String> orderOfBuyer = new HashMap<>();
    for (int buyerNumber = 0; buyerNumber < 12; buyerNumber++) {
      String buyer = buyer("lost-" + buyerNumber);
      orderOfBuyer.put(buyer, purchase(token(buyer), ticketTypeId));
    }
    double caughtUp = caughtUp();

    relayedAndLost(() -> body(send("POST", backend + "/api/events/" + eventId + "/cancel", organizerToken, null),
        200), List.copyOf(orderOfBuyer.values()));

    for (String buyer : orderOfBuyer.keySet()) {
      awaitMail(buyer, mail -> mail.getString("subject").equals("Cancelled: Lost Night"));
    }
    Thread.sleep(QUIET.toMillis());
    for (var buyerAndOrder : orderOfBuyer.entrySet()) {
      assertThat(PUBLISHES.get("order-cancelled:" + buyerAndOrder.getValue())).as("SNS published it once")
          .isEqualTo(1);
      assertThat(subjects(buyerAndOrder.getKey())).filteredOn(subject -> subject.startsWith("Cancelled:")).hasSize(1);
    }
    assertThat(caughtUp()).as("by the catch-ups").isEqualTo(caughtUp + 12);
  }

  /**
   * Two more backends on the stack's servers, and the test's endpoint subscribed to the notification topic. Started
   * for the last tests only: the earlier ones count what the stack's own backend relays, which another relay would
   * share.
   */
  private static void startCatchUpBackends() throws Exception {
    if (!CATCH_UP_BACKENDS.isEmpty()) {
      return;
    }
    subscribeTapToNotifications();
    Boxoffice.Tuning tuning = Boxoffice.Tuning.defaults().withNoticeCatchUpSettleTime(CATCH_UP_SETTLE_TIME);
    for (int backendNumber = 0; backendNumber < 2; backendNumber++) {
      CATCH_UP_BACKENDS.add(Boxoffice.start(
          stack.backendConfig().toBuilder().http("127.0.0.1", LoopbackPorts.free()).build(), tuning,
          stack.cloud().principals().backendTask().credentialsProvider()));
    }
  }

  /**
   * An HTTP endpoint of the test's own subscribed to the notification topic with raw delivery, as any second
   * subscriber in AWS: it confirms its subscription, then counts each notification it receives by id.
   */
  private static void subscribeTapToNotifications() throws Exception {
    CountDownLatch confirmed = new CountDownLatch(1);
    tap = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    tap.createContext("/", exchange -> {
      try (exchange) {
        JsonObject message = new JsonObject(new String(exchange.getRequestBody().readAllBytes(),
            StandardCharsets.UTF_8));
        if ("SubscriptionConfirmation".equals(exchange.getRequestHeaders().getFirst("x-amz-sns-message-type"))) {
          HTTP.send(HttpRequest.newBuilder(URI.create(message.getString("SubscribeURL"))).build(),
              HttpResponse.BodyHandlers.discarding());
          confirmed.countDown();
        } else {
          PUBLISHES.merge(message.getString("id"), 1, Integer::sum);
        }
        exchange.sendResponseHeaders(200, -1);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    });
    tap.start();
    stack.cloud().admin().sns().subscribe(request -> request
        .topicArn(stack.cloud().resources().topicArn("NotificationTopic")).protocol("http")
        .endpoint("http://127.0.0.1:" + tap.getAddress().getPort() + "/notices")
        .attributes(Map.of("RawMessageDelivery", "true")));
    assertThat(confirmed.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the tap confirmed its subscription")
        .isTrue();
  }

  /**
   * Leaves the outbox as a backend would that died right after relaying: the relay is held still (its advisory lock)
   * while {@code change} writes the OrderCancelled of {@code orderIds}, which are then marked sent as that relay marked
   * them, and reach no publisher.
   */
  private static void relayedAndLost(Callable<?> change, List<String> orderIds) throws Exception {
    try (Connection db = database();
         PreparedStatement holdRelay = db.prepareStatement("SELECT pg_advisory_lock(?)");
         PreparedStatement markSent = db.prepareStatement("UPDATE outbox SET sent_at = now()"
             + " WHERE type = 'OrderCancelled' AND sent_at IS NULL AND aggregate_id = ANY(?)");
         PreparedStatement releaseRelay = db.prepareStatement("SELECT pg_advisory_unlock(?)")) {
      holdRelay.setLong(1, OutboxRelayVerticle.RELAY_LOCK);
      holdRelay.execute();
      change.call();
      markSent.setArray(1, db.createArrayOf("uuid", orderIds.stream().map(UUID::fromString).toArray()));
      assertThat(markSent.executeUpdate()).as("the cancellations, relayed and lost").isEqualTo(orderIds.size());
      releaseRelay.setLong(1, OutboxRelayVerticle.RELAY_LOCK);
      releaseRelay.execute();
    }
  }

  /** Whether the notice catch-up's cursor is past the order's cancellation. */
  private static boolean caughtUpPast(String orderId) throws Exception {
    return trueFor(orderId, "SELECT (SELECT last_outbox_id FROM notice_catch_up)"
        + " >= (SELECT id FROM outbox WHERE type = 'OrderCancelled' AND aggregate_id = ?::uuid)");
  }

  /** Whether SNS's taking the order's cancellation notice is recorded. */
  private static boolean recorded(String orderId) throws Exception {
    return trueFor(orderId, "SELECT EXISTS (SELECT 1 FROM buyer_notices_published p JOIN outbox o"
        + " ON o.event_id = p.event_id WHERE o.type = 'OrderCancelled' AND o.aggregate_id = ?::uuid)");
  }

  /** The boolean {@code query} answers about {@code orderId}. */
  private static boolean trueFor(String orderId, String query) throws Exception {
    try (Connection db = database(); PreparedStatement statement = db.prepareStatement(query)) {
      statement.setString(1, orderId);
      try (ResultSet answer = statement.executeQuery()) {
        return answer.next() && answer.getBoolean(1);
      }
    }
  }

  /** How many times SNS published the notification {@code id}, counted once nothing more came for a while. */
  private static int publishesOf(String id) throws Exception {
    Thread.sleep(QUIET.toMillis());
    return PUBLISHES.getOrDefault(id, 0);
  }

  /** The notices the catch-ups of every backend published, from their Prometheus metrics. */
  private static double caughtUp() throws Exception {
    double caughtUp = metric(backend, "boxoffice_buyer_notifications_caught_up_total");
    for (Boxoffice catchUpBackend : CATCH_UP_BACKENDS) {
      caughtUp += metric("http://127.0.0.1:" + catchUpBackend.config().httpPort(),
          "boxoffice_buyer_notifications_caught_up_total");
    }
    return caughtUp;
  }

  private static String purchase(String buyerToken, String ticketTypeId) throws Exception {
    return body(sendWith("POST", backend + "/api/ticket-types/" + ticketTypeId + "/purchases", buyerToken,
        new JsonObject().put("quantity", 1), Map.of("Idempotency-Key", UUID.randomUUID().toString())), 201)
        .getString("id");
  }

  private static String buyer(String role) {
    return "notices-" + role + "-" + UUID.randomUUID().toString().substring(0, 8) + "@boxoffice.test";
  }

  private static String publishedEvent(String title, long priceMinor) throws Exception {
    Instant start = Instant.now().plus(Duration.ofDays(3));
    String eventId = body(send("POST", backend + "/api/events", organizerToken, new JsonObject()
        .put("title", title)
        .put("description", "What the buyer is told")
        .put("category", "music")
        .put("venue", "Testhalle")
        .put("city", "Berlin")
        .put("startsAt", start.toString())
        .put("endsAt", start.plus(Duration.ofHours(3)).toString())
        .put("timeZone", "Europe/Berlin")), 201).getString("id");
    body(send("POST", backend + "/api/events/" + eventId + "/ticket-types", organizerToken, new JsonObject()
        .put("name", "Standing")
        .put("priceMinor", priceMinor)
        .put("currency", "EUR")
        .put("capacity", 50)
        .put("salesStart", Instant.now().minus(Duration.ofMinutes(1)).toString())
        .put("salesEnd", start.toString())
        .put("maxPerOrder", 4)), 201);
    body(send("POST", backend + "/api/events/" + eventId + "/publish", organizerToken, null), 200);
    return eventId;
  }

  private static String ticketTypeOf(String eventId) throws Exception {
    return body(send("GET", backend + "/api/events/" + eventId, null, null), 200)
        .getJsonArray("ticketTypes").getJsonObject(0).getString("id");
  }

  private static String hold(String buyerToken, String ticketTypeId, int quantity) throws Exception {
    return body(sendWith("POST", backend + "/api/ticket-types/" + ticketTypeId + "/holds", buyerToken,
        new JsonObject().put("quantity", quantity), Map.of("Idempotency-Key", UUID.randomUUID().toString())), 201)
        .getString("id");
  }

  /** Pays on the local Stripe server's hosted page with {@code card}, as the buyer's browser posts its form. */
  private static void pay(String buyerToken, String holdId, String card) throws Exception {
    String checkoutUrl = body(send("POST", backend + "/api/holds/" + holdId + "/checkout", buyerToken, null), 200)
        .getString("checkoutUrl");
    HTTP.send(HttpRequest.newBuilder(URI.create(checkoutUrl))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("cardNumber=" + card + "&expiry=12%2F34&cvc=123")).build(),
        HttpResponse.BodyHandlers.discarding());
  }

  private static void awaitOrder(String token, String holdId) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (send("GET", backend + "/api/orders/" + holdId, token, null).statusCode() != 200) {
      assertThat(System.nanoTime()).as("hold %s confirmed into its order", holdId).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static JsonObject awaitMail(String to, Predicate<JsonObject> wanted) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      var mail = mailsTo(to).stream().filter(wanted).findFirst();
      if (mail.isPresent()) {
        return mail.get();
      }
      assertThat(System.nanoTime()).as("the expected mail to %s arrived; it has %s", to, subjects(to))
          .isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  private static List<String> subjects(String to) throws Exception {
    return mailsTo(to).stream().map(mail -> mail.getString("subject")).toList();
  }

  private static List<JsonObject> mailsTo(String to) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
        inbox + "/api/messages?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8))).build(),
        HttpResponse.BodyHandlers.ofString());
    return new JsonArray(response.body()).stream().map(JsonObject.class::cast).toList();
  }

  /** The backend's count of buyer notifications SNS took, from its Prometheus metrics. */
  private static double publishedNotifications() throws Exception {
    return metric(backend, "boxoffice_buyer_notifications_published_total");
  }

  private static double metric(String backendUrl, String name) throws Exception {
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(backendUrl + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher value = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? (\\S+)$").matcher(metrics);
    return value.find() ? Double.parseDouble(value.group(1)) : 0;
  }

  private static Connection database() throws Exception {
    Config.Database database = stack.backendConfig().database();
    return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
  }

  private static String token(String email) throws Exception {
    return body(send("POST", backend + "/api/dev/login", null, new JsonObject().put("email", email)), 200)
        .getString("token");
  }

  private static HttpResponse<String> send(String method, String url, String token, JsonObject json)
      throws Exception {
    return sendWith(method, url, token, json, Map.of());
  }

  private static HttpResponse<String> sendWith(String method, String url, String token, JsonObject json,
                                               Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json.encode()));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject body(HttpResponse<String> response, int expectedStatus) {
    assertThat(response.statusCode()).as("%s %s answered %s", response.request().method(), response.request().uri(),
        response.body()).isEqualTo(expectedStatus);
    return response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
  }
}
