package dev.boxoffice.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BuyerNotificationsTest {

  private static final String ORGANIZER = "notices-organizer@boxoffice.test";
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  /** Long enough for a second email to have come through a stack that delivers the first in about a second. */
  private static final Duration QUIET = Duration.ofSeconds(8);
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String REFUNDED_BUYER = buyer("refunded");

  private static LocalStack stack;
  private static String backend;
  private static String inbox;
  private static String organizerToken;

  @BeforeAll
  static void startStack() throws Exception {
    Path dataDir = Files.createTempDirectory("boxoffice-notices");
    Map<String, String> env = new HashMap<>();
    env.put("BOXOFFICE_DATA_DIR", dataDir.toString());
    env.put("BOXOFFICE_HTTP_HOST", "127.0.0.1");
    env.put("BOXOFFICE_HTTP_PORT", Integer.toString(LoopbackPorts.free()));
    env.put("BOXOFFICE_STATIC_DIR", Files.createDirectories(dataDir.resolve("static")).toString());
    env.put("BOXOFFICE_ORGANIZER_EMAILS", ORGANIZER);
    for (String port : List.of("PG", "REDIS", "APIGATEWAY", "S3", "DYNAMODB", "SNS", "SFN", "SMTP", "INBOX", "MEDIA",
        "STRIPE", "SQS", "SES")) {
      env.put("BOXOFFICE_LOCAL_" + port + "_PORT", "0");
    }
    stack = new LocalStack();
    stack.start(LocalStackSettings.fromEnvironment(env), env);
    backend = "http://127.0.0.1:" + stack.backendConfig().httpPort();
    inbox = stack.cloud().inboxUrl().toString().replaceAll("/$", "");
    organizerToken = token(ORGANIZER);
  }

  @AfterAll
  static void stopStack() throws Exception {
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
      body(sendWith("POST", backend + "/api/ticket-types/" + ticketTypeId + "/purchases", token(buyer),
          new JsonObject().put("quantity", 1), Map.of("Idempotency-Key", UUID.randomUUID().toString())), 201);
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
    String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(backend + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Matcher value = Pattern.compile("(?m)^boxoffice_buyer_notifications_published_total(?:\\{[^}]*})? (\\S+)$")
        .matcher(metrics);
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
