package dev.boxoffice.local.stack;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * {@code ./boxoffice up --demo}: sample events with images and ticket types, published by a demo organizer, made
 * through the backend's own API (the local dev login, then the organizer routes) so they are exactly what an organizer
 * would make. A stack whose demo organizer already has events is left as it is, so restarts add nothing.
 */
final class DemoData {

  static final String ORGANIZER = "organizer@demo.boxoffice.test";
  static final String DOOR_STAFF = "door@demo.boxoffice.test";
  static final String BUYER = "buyer@demo.boxoffice.test";
  static final String ADMIN = "admin@demo.boxoffice.test";

  private record Sample(String title, String category, String venue, String city, String timeZone, int daysAhead,
                        int hour, String colour, String description, List<JsonObject> ticketTypes) {
  }

  private static final List<Sample> SAMPLES = List.of(
      new Sample("Jazz on the River", "concert", "Le Sucre", "Lyon", "Europe/Paris", 21, 20, "#3b2a8f",
          "A quartet and a sunset over the Saône.",
          List.of(ticketType("Standing", 0, 200), ticketType("Seated", 2500, 80))),
      new Sample("Hamlet, in the round", "theatre", "The Old Vic", "London", "Europe/London", 35, 19, "#0d6b32",
          "Shakespeare's tragedy, three hours, one interval.",
          List.of(ticketType("Stalls", 4200, 120), ticketType("Gallery", 1800, 60))),
      new Sample("City Derby", "sport", "Estadio Municipal", "Madrid", "Europe/Madrid", 50, 18, "#a3161f",
          "The season's decider. Doors open two hours before kick-off.",
          List.of(ticketType("North stand", 3500, 500), ticketType("Family", 0, 100))));

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI frontend;

  private DemoData(URI frontend) {
    this.frontend = frontend;
  }

  /**
   * The roles the demo needs, added to those the environment gives: an administrator, and the organizer and door
   * staff that the backend's one-time bootstrap grants on a first start.
   */
  static Map<String, String> withDemoRoles(Map<String, String> env) {
    Map<String, String> withRoles = new HashMap<>(env);
    withRoles.merge("BOXOFFICE_ADMIN_EMAILS", ADMIN, (given, demo) -> given.isBlank() ? demo : given + "," + demo);
    withRoles.merge("BOXOFFICE_ORGANIZER_EMAILS", ORGANIZER,
        (given, demo) -> given.isBlank() ? demo : given + "," + demo);
    withRoles.merge("BOXOFFICE_DOOR_STAFF_EMAILS", DOOR_STAFF + ":" + ORGANIZER,
        (given, demo) -> given.isBlank() ? demo : given + "," + demo);
    return withRoles;
  }

  /** Makes the sample events unless the demo organizer has some; returns how many it made. */
  static int seed(URI frontend, S3Client s3, String mediaBucket) throws IOException, InterruptedException {
    return new DemoData(frontend).seedOnce(s3, mediaBucket);
  }

  /** What the banner adds under {@code --demo}: who to sign in as, and where the codes arrive. */
  static String howToSignIn(URI frontend, String inbox) {
    return "\nDemo: sample events by " + ORGANIZER + ". Sign in at " + frontend + "/sign-in with the address of your"
        + " choice;\nthe confirmation link and the one-time code arrive in the email inbox, " + inbox + "\n"
        + "  as a buyer          " + BUYER + " (or any address)\n"
        + "  as the organizer    " + ORGANIZER + "  (Organizer: the events, their sales and attendees)\n"
        + "  as door staff       " + DOOR_STAFF + "  (Check-in at the organizer's events)\n"
        + "  as administrator    " + ADMIN + "  (Admin: approves the requests to organize)\n";
  }

  private int seedOnce(S3Client s3, String mediaBucket) throws IOException, InterruptedException {
    String token = call("POST", "/api/dev/login", null, new JsonObject().put("email", ORGANIZER)).getString("token");
    if (!call("GET", "/api/me/events?limit=1", token, null).getJsonArray("items").isEmpty()) {
      return 0;
    }
    for (Sample sample : SAMPLES) {
      String imageKey = "events/demo/" + sample.category() + ".svg";
      s3.putObject(PutObjectRequest.builder().bucket(mediaBucket).key(imageKey).contentType("image/svg+xml").build(),
          RequestBody.fromString(image(sample), StandardCharsets.UTF_8));
      ZoneId zone = ZoneId.of(sample.timeZone());
      Instant startsAt = LocalDate.now(zone).plusDays(sample.daysAhead()).atTime(sample.hour(), 0).atZone(zone)
          .toInstant();
      JsonObject event = call("POST", "/api/events", token, new JsonObject()
          .put("title", sample.title()).put("description", sample.description()).put("category", sample.category())
          .put("venue", sample.venue()).put("city", sample.city()).put("timeZone", sample.timeZone())
          .put("startsAt", startsAt.toString()).put("endsAt", startsAt.plus(3, ChronoUnit.HOURS).toString())
          .put("imageKey", imageKey));
      for (JsonObject type : sample.ticketTypes()) {
        call("POST", "/api/events/" + event.getString("id") + "/ticket-types", token, type.copy()
            .put("salesStart", Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString())
            .put("salesEnd", startsAt.minus(1, ChronoUnit.HOURS).toString()));
      }
      call("POST", "/api/events/" + event.getString("id") + "/publish", token, null);
    }
    return SAMPLES.size();
  }

  private JsonObject call(String method, String path, String token, JsonObject body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(frontend.resolve(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("the demo's " + method + " " + path + " answered " + response.statusCode() + ": "
          + response.body());
    }
    return new JsonObject(response.body());
  }

  private static JsonObject ticketType(String name, long priceMinor, int capacity) {
    return new JsonObject().put("name", name).put("priceMinor", priceMinor).put("currency", "EUR")
        .put("capacity", capacity).put("maxPerOrder", 6);
  }

  /** A 16:9 poster: the event's colour, its title and city. */
  private static String image(Sample sample) {
    return "<svg xmlns='http://www.w3.org/2000/svg' width='960' height='540' viewBox='0 0 960 540'>"
        + "<rect width='960' height='540' fill='" + sample.colour() + "'/>"
        + "<circle cx='800' cy='120' r='220' fill='#ffffff' fill-opacity='0.12'/>"
        + "<text x='60' y='300' font-family='sans-serif' font-size='64' font-weight='700' fill='#ffffff'>"
        + sample.title().replace("&", "&amp;") + "</text>"
        + "<text x='60' y='370' font-family='sans-serif' font-size='36' fill='#ffffff'>" + sample.city() + "</text>"
        + "</svg>";
  }
}
