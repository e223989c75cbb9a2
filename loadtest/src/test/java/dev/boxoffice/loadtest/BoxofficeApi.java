package dev.boxoffice.loadtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The simulations' own client of the Boxoffice API for what happens outside the measured window: logins, setting up
 * the events on sale, and reading the outcome back to check it.
 */
final class BoxofficeApi {

  /** A signed-in buyer (or organizer). */
  record Account(String email, String token) {
  }

  /** A published event with one ticket type on sale: free tickets are bought at once, priced ones held and paid. */
  record Sale(String eventId, String ticketTypeId, int capacity, int maxPerOrder, SaleLedger.Kind kind) {
  }

  private static final int LOGINS_IN_FLIGHT = 32;

  private final String baseUrl;
  private final HttpClient client = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10))
      .build();

  BoxofficeApi(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  Account login(String email) {
    HttpResponse<String> answer = send("POST", "/api/dev/login", null, new JsonObject().put("email", email));
    return new Account(email, expect(answer, 200).getString("token"));
  }

  /** {@code count} buyers {@code <runTag>-<n>@example.org}, signed in a few at a time. */
  List<Account> loginBuyers(String runTag, int count) {
    Semaphore inFlight = new Semaphore(LOGINS_IN_FLIGHT);
    List<CompletableFuture<Account>> logins = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String email = runTag + "-" + i + "@example.org";
      inFlight.acquireUninterruptibly();
      logins.add(client.sendAsync(request("POST", "/api/dev/login", null, new JsonObject().put("email", email)),
              HttpResponse.BodyHandlers.ofString())
          .thenApply(answer -> new Account(email, expect(answer, 200).getString("token")))
          .whenComplete((account, failure) -> inFlight.release()));
    }
    return logins.stream().map(CompletableFuture::join).toList();
  }

  /** The organizer of the run's events: {@code -Dboxoffice.organizerEmail}, one of BOXOFFICE_ORGANIZER_EMAILS. */
  Account organizer() {
    return login(System.getProperty("boxoffice.organizerEmail", LocalBackend.ORGANIZER));
  }

  /**
   * Creates, fills and publishes an event whose one ticket type is on sale from now on: priced (€45, held for
   * {@code holdMinutes} while the buyer pays) for {@link SaleLedger.Kind#HOLDS}, free for orders.
   */
  Sale openSale(Account organizer, String title, int capacity, int maxPerOrder, SaleLedger.Kind kind,
                int holdMinutes) {
    String eventId = createEvent(organizer, title, holdMinutes);
    JsonObject ticketType = expect(send("POST", "/api/events/" + eventId + "/ticket-types", organizer.token(),
        new JsonObject()
            .put("name", "General admission")
            .put("priceMinor", kind == SaleLedger.Kind.HOLDS ? 4_500 : 0)
            .put("currency", "EUR")
            .put("capacity", capacity)
            .put("salesStart", Instant.now().minus(Duration.ofHours(1)).toString())
            .put("salesEnd", "2030-05-31T00:00:00Z")
            .put("maxPerOrder", maxPerOrder)), 201);
    publish(organizer, eventId);
    return new Sale(eventId, ticketType.getString("id"), capacity, maxPerOrder, kind);
  }

  Sale openSale(Account organizer, String title, int capacity, int maxPerOrder, SaleLedger.Kind kind) {
    return openSale(organizer, title, capacity, maxPerOrder, kind, 10);
  }

  String createEvent(Account organizer, String title) {
    return createEvent(organizer, title, 10);
  }

  String createEvent(Account organizer, String title, int holdMinutes) {
    return expect(send("POST", "/api/events", organizer.token(), new JsonObject()
        .put("holdMinutes", holdMinutes)
        .put("title", title)
        .put("description", "A load test's event")
        .put("category", "concert")
        .put("venue", "Hall 1")
        .put("city", "Lyon")
        .put("startsAt", "2030-06-01T18:00:00Z")
        .put("endsAt", "2030-06-01T23:00:00Z")
        .put("timeZone", "Europe/Paris")), 201).getString("id");
  }

  /** Caps the tickets one buyer may have of the event. */
  void limitPerBuyer(Account organizer, String eventId, int limit) {
    expect(send("PATCH", "/api/events/" + eventId, organizer.token(),
        new JsonObject().put("maxTicketsPerBuyer", limit)), 200);
  }

  /** Turns the event's waiting room on. */
  void openWaitingRoom(Account organizer, String eventId, Instant opensAt, int admitPerMinute) {
    expect(send("PUT", "/api/events/" + eventId + "/waiting-room", organizer.token(),
        new JsonObject().put("opensAt", opensAt.toString()).put("admitPerMinute", admitPerMinute)), 200);
  }

  void publish(Account organizer, String eventId) {
    expect(send("POST", "/api/events/" + eventId + "/publish", organizer.token(), null), 200);
  }

  /** The organizer summary's line of the sale's ticket type. */
  JsonObject summaryOf(Account organizer, Sale sale) {
    JsonArray lines = expect(send("GET", "/api/events/" + sale.eventId() + "/summary", organizer.token(), null), 200)
        .getJsonArray("ticketTypes");
    for (int i = 0; i < lines.size(); i++) {
      if (sale.ticketTypeId().equals(lines.getJsonObject(i).getString("ticketTypeId"))) {
        return lines.getJsonObject(i);
      }
    }
    throw new IllegalStateException("the summary of event " + sale.eventId() + " lacks ticket type "
        + sale.ticketTypeId());
  }

  /** Every order of the buyer, all pages. */
  List<JsonObject> ordersOf(Account buyer) {
    List<JsonObject> orders = new ArrayList<>();
    String cursor = null;
    do {
      String path = "/api/me/orders?limit=100"
          + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      JsonObject page = expect(send("GET", path, buyer.token(), null), 200);
      page.getJsonArray("items").forEach(order -> orders.add((JsonObject) order));
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    return orders;
  }

  /** A hold of one buyer, as they see it. */
  JsonObject holdOf(Account buyer, String holdId) {
    return expect(send("GET", "/api/holds/" + holdId, buyer.token(), null), 200);
  }

  /** A purchase (free tickets) or a hold (priced ones), as the sale takes it. */
  HttpResponse<String> purchase(Account buyer, Sale sale, String idempotencyKey, int quantity) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/ticket-types/" + sale.ticketTypeId()
            + "/" + sale.kind().path()))
        .header("Authorization", "Bearer " + buyer.token())
        .header("Idempotency-Key", idempotencyKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("quantity", quantity).encode()))
        .timeout(Duration.ofSeconds(30))
        .build();
    return sendRequest(request);
  }

  private HttpResponse<String> send(String method, String path, String token, JsonObject body) {
    return sendRequest(request(method, path, token, body));
  }

  private HttpRequest request(String method, String path, String token, JsonObject body) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      builder.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      builder.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    }
    return builder.build();
  }

  private HttpResponse<String> sendRequest(HttpRequest request) {
    try {
      return client.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static JsonObject expect(HttpResponse<String> answer, int status) {
    if (answer.statusCode() != status) {
      throw new IllegalStateException(answer.request().method() + " " + answer.request().uri() + " answered "
          + answer.statusCode() + " instead of " + status + ": " + answer.body());
    }
    return new JsonObject(answer.body());
  }
}
