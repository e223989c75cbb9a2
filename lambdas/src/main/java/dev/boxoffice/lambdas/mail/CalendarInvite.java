package dev.boxoffice.lambdas.mail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * An iCalendar file (RFC 5545) of one event for the ticket email: times in UTC (no VTIMEZONE needed; calendars show
 * them in the reader's zone), text escaped, lines folded at 75 octets, CRLF line ends.
 */
final class CalendarInvite {

  static final String CONTENT_TYPE = "text/calendar; charset=UTF-8; method=PUBLISH";
  /** An event without an end lasts this long in the calendar. */
  static final Duration DEFAULT_LENGTH = Duration.ofHours(2);

  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final int MAX_LINE_OCTETS = 75;

  private CalendarInvite() {
  }

  /** The .ics of an event; {@code uid} identifies it across updates (the order), {@code url} links its tickets. */
  static byte[] of(String uid, String summary, String location, Instant startsAt, Instant endsAt, String description,
      String url, Instant now) {
    StringBuilder ics = new StringBuilder();
    line(ics, "BEGIN:VCALENDAR");
    line(ics, "VERSION:2.0");
    line(ics, "PRODID:-//Boxoffice//Tickets//EN");
    line(ics, "CALSCALE:GREGORIAN");
    line(ics, "METHOD:PUBLISH");
    line(ics, "BEGIN:VEVENT");
    line(ics, "UID:" + escape(uid));
    line(ics, "DTSTAMP:" + UTC.format(now.truncatedTo(ChronoUnit.SECONDS)));
    line(ics, "DTSTART:" + UTC.format(startsAt));
    line(ics, "DTEND:" + UTC.format(endsAt == null ? startsAt.plus(DEFAULT_LENGTH) : endsAt));
    line(ics, "SUMMARY:" + escape(summary));
    if (location != null && !location.isBlank()) {
      line(ics, "LOCATION:" + escape(location));
    }
    line(ics, "DESCRIPTION:" + escape(description));
    line(ics, "URL:" + url);
    line(ics, "END:VEVENT");
    line(ics, "END:VCALENDAR");
    return ics.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** TEXT values: backslash, semicolon and comma escaped, line breaks as {@code \n}. */
  static String escape(String text) {
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
  }

  /** Appends a content line folded at 75 octets (never inside a UTF-8 character), with CRLF. */
  private static void line(StringBuilder ics, String content) {
    int octets = 0;
    for (int index = 0; index < content.length(); ) {
      int codePoint = content.codePointAt(index);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (octets + size > MAX_LINE_OCTETS) {
        ics.append("\r\n ");
        octets = 1;
      }
      ics.appendCodePoint(codePoint);
      octets += size;
      index += Character.charCount(codePoint);
    }
    ics.append("\r\n");
  }
}
