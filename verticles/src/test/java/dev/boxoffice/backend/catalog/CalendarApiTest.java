package dev.boxoffice.backend.catalog;

import static dev.boxoffice.backend.web.TestApi.ORGANIZER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code GET /api/events/{id}/calendar.ics}: an RFC 5545 file a calendar app imports. */
class CalendarApiTest {

  private static TestApi api;
  private static String organizer;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
    organizer = api.organizerToken(ORGANIZER);
  }

  @Test
  @DisplayName("a published event's file has its UID, venue-time DTSTART/DTEND with VTIMEZONE, LOCATION and URL")
  void publishedEventFile() {
    String title = "Nuit d'été; jazz, soul \\ funk — " + "très long titre ".repeat(6);
    String eventId = published(TestApi.newEvent(title).put("venue", "Salle Pleyel").put("city", "Paris")
        .put("startsAt", "2030-06-01T18:00:00Z").put("endsAt", "2030-06-01T23:30:00Z")
        .put("timeZone", "Europe/Paris").put("description", "Line one\nLine two"));

    HttpResponse<Buffer> response = api.send(HttpMethod.GET, "/api/events/" + eventId + "/calendar.ics", null, null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).isEqualTo("text/calendar; charset=utf-8");
    assertThat(response.getHeader("content-disposition")).startsWith("attachment; filename=\"nuit-d-ete-jazz-soul-funk-tres-long")
        .endsWith(".ics\"");
    String file = response.bodyAsString();
    assertThat(file).endsWith("END:VCALENDAR\r\n");
    assertThat(file.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
    for (String line : file.split("\r\n")) {
      assertThat(line.getBytes(StandardCharsets.UTF_8).length).as(line).isLessThanOrEqualTo(75);
    }
    List<String> lines = unfolded(file);
    String port = String.valueOf(api.app().config().httpPort());
    assertThat(lines).startsWith("BEGIN:VCALENDAR", "VERSION:2.0").contains(
        "UID:" + eventId + "@boxoffice",
        "DTSTART;TZID=Europe/Paris:20300601T200000",
        "DTEND;TZID=Europe/Paris:20300602T013000",
        "SUMMARY:" + title.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,"),
        "DESCRIPTION:Line one\\nLine two\\n\\nhttp://127.0.0.1:" + port + "/events/" + eventId,
        "LOCATION:Salle Pleyel\\, Paris",
        "URL:http://127.0.0.1:" + port + "/events/" + eventId,
        "STATUS:CONFIRMED",
        "BEGIN:VTIMEZONE", "TZID:Europe/Paris");
    assertThat(lines).anySatisfy(line -> assertThat(line).matches("DTSTAMP:\\d{8}T\\d{6}Z"));
    int timeZone = lines.indexOf("BEGIN:VTIMEZONE");
    assertThat(lines.subList(timeZone, lines.indexOf("END:VTIMEZONE")))
        .containsSequence("BEGIN:DAYLIGHT", "DTSTART:20300331T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
            "END:DAYLIGHT")
        .containsSequence("BEGIN:STANDARD", "DTSTART:20301027T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
            "END:STANDARD");
  }

  @Test
  @DisplayName("a zone without daylight saving gets one observance; a cancelled event's file says CANCELLED")
  void fixedZoneAndCancelled() {
    String eventId = published(TestApi.newEvent("Tokyo night").put("timeZone", "Asia/Tokyo")
        .put("startsAt", "2030-06-01T10:00:00Z").put("endsAt", "2030-06-01T12:00:00Z"));
    api.send(HttpMethod.POST, "/api/events/" + eventId + "/cancel", organizer, null);

    List<String> lines = unfolded(api.send(HttpMethod.GET, "/api/events/" + eventId + "/calendar.ics", null, null)
        .bodyAsString());

    assertThat(lines).contains("DTSTART;TZID=Asia/Tokyo:20300601T190000", "STATUS:CANCELLED");
    assertThat(lines.stream().filter(line -> line.equals("BEGIN:STANDARD"))).hasSize(1);
    assertThat(lines).containsSequence("TZOFFSETFROM:+0900", "TZOFFSETTO:+0900");
  }

  @Test
  @DisplayName("a draft, an unknown event and a malformed id get no file: 404 and 400 with a JSON error")
  void noFileForWhatIsNotPublic() {
    String draft = api.draftEvent(ORGANIZER, "Still a draft");

    HttpResponse<Buffer> ofDraft = api.send(HttpMethod.GET, "/api/events/" + draft + "/calendar.ics", null, null);
    HttpResponse<Buffer> unknown = api.send(HttpMethod.GET, "/api/events/" + UUID.randomUUID() + "/calendar.ics",
        null, null);
    HttpResponse<Buffer> malformed = api.send(HttpMethod.GET, "/api/events/nope/calendar.ics", null, null);

    assertThat(ofDraft.statusCode()).isEqualTo(404);
    assertThat(ofDraft.bodyAsJsonObject().getString("code")).isEqualTo("not_found");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(malformed.bodyAsJsonObject().getString("field")).isNotBlank();
  }

  private static String published(JsonObject event) {
    HttpResponse<Buffer> created = api.send(HttpMethod.POST, "/api/events", organizer, event);
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    String eventId = created.bodyAsJsonObject().getString("id");
    assertThat(api.send(HttpMethod.POST, "/api/events/" + eventId + "/publish", organizer, null).statusCode())
        .isEqualTo(200);
    return eventId;
  }

  /** The content lines, continuation lines joined back (RFC 5545 3.1). */
  private static List<String> unfolded(String file) {
    return Arrays.asList(file.replace("\r\n ", "").split("\r\n"));
  }
}
