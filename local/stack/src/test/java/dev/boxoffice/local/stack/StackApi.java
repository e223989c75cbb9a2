package dev.boxoffice.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Boxoffice API at one base URL, for the stack's tests: dev sessions, a sale set up, purchases, metrics. */
final class StackApi {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;

  StackApi(String base) {
    this.base = base.replaceAll("/$", "");
  }

  String token(String email) throws Exception {
    return body(send("POST", "/api/dev/login", null, new JsonObject().put("email", email)), 200).getString("token");
  }

  /** A published event with one free ticket type on sale; the ticket type's id. */
  String ticketTypeOnSale(String organizerToken, String title, int capacity) throws Exception {
    return ticketTypeOnSale(organizerToken, title, capacity, 0);
  }

  /** A published event with one ticket type on sale at {@code priceMinor} cents; the ticket type's id. */
  String ticketTypeOnSale(String organizerToken, String title, int capacity, int priceMinor) throws Exception {
    Instant start = Instant.now().plus(Duration.ofDays(7));
    String eventId = body(send("POST", "/api/events", organizerToken, new JsonObject()
        .put("title", title)
        .put("description", "An evening behind the load balancer")
        .put("category", "music")
        .put("venue", "Halle 2")
        .put("city", "Lyon")
        .put("startsAt", start.toString())
        .put("endsAt", start.plus(Duration.ofHours(3)).toString())
        .put("timeZone", "Europe/Paris")), 201).getString("id");
    String ticketTypeId = body(send("POST", "/api/events/" + eventId + "/ticket-types", organizerToken,
        new JsonObject()
            .put("name", "Standing")
            .put("priceMinor", priceMinor)
            .put("currency", "EUR")
            .put("capacity", capacity)
            .put("salesStart", Instant.now().minus(Duration.ofMinutes(1)).toString())
            .put("salesEnd", start.toString())
            .put("maxPerOrder", 4)), 201).getString("id");
    body(send("POST", "/api/events/" + eventId + "/publish", organizerToken, null), 200);
    return ticketTypeId;
  }

  HttpResponse<String> purchase(String buyerToken, String ticketTypeId, String idempotencyKey, int quantity)
      throws Exception {
    return send("POST", "/api/ticket-types/" + ticketTypeId + "/purchases", buyerToken,
        new JsonObject().put("quantity", quantity), Map.of("Idempotency-Key", idempotencyKey));
  }

  HttpResponse<String> purchase(String buyerToken, String ticketTypeId) throws Exception {
    return purchase(buyerToken, ticketTypeId, UUID.randomUUID().toString(), 1);
  }

  /** The value of a Prometheus counter or gauge without labels on {@code /metrics}. */
  OptionalDouble metric(String name) throws Exception {
    Matcher value = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$")
        .matcher(send("GET", "/metrics", null, null).body());
    return value.find() ? OptionalDouble.of(Double.parseDouble(value.group(2))) : OptionalDouble.empty();
  }

  HttpResponse<String> send(String method, String path, String token, JsonObject json) throws Exception {
    return send(method, path, token, json, Map.of());
  }

  HttpResponse<String> send(String method, String path, String token, JsonObject json, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
        .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(json.encode()));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      if (!method.equals("GET")) {
        throw e;
      }
      // A kept-alive connection the server closed as idle just as it was reused: a GET is sent again, as browsers
      // do (the backends are also called directly here, without the balancer's retry in between).
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  /** A GET of an absolute URL (a Lambda route through API Gateway) with {@code token}. */
  HttpResponse<String> sendTo(String url, String token) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonObject body(HttpResponse<String> response, int expectedStatus) {
    assertThat(response.statusCode()).as("%s %s answered %s", response.request().method(), response.request().uri(),
        response.body()).isEqualTo(expectedStatus);
    return response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
  }
}
