package dev.boxoffice.backend.web;

import dev.boxoffice.backend.model.Event;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An event as an iCalendar file (RFC 5545). Its times are written in the venue's time zone ({@code TZID}) with that
 * zone's {@code VTIMEZONE}, so calendar apps show the event at the venue's wall-clock time and keep it right if the
 * attendee's own zone differs; the zone's observances are the offset transitions of the year before the event to the
 * year after it, each as one onset, which every reader understands without evaluating a recurrence rule. The
 * {@code UID} is the event's id, so importing the file again after a change updates the entry instead of adding one.
 */
final class EventCalendar {

  static final String MEDIA_TYPE = "text/calendar; charset=utf-8";
  private static final int MAX_LINE_OCTETS = 75;
  private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss");
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);

  private EventCalendar() {
  }

  /** The file's text, lines folded at 75 octets and ended by CRLF. */
  static String of(Event event, String eventUrl, Instant now) {
    ZoneId zone = ZoneId.of(event.timeZone());
    List<String> lines = new ArrayList<>();
    lines.add("BEGIN:VCALENDAR");
    lines.add("VERSION:2.0");
    lines.add("PRODID:-//Boxoffice//Events//EN");
    lines.add("CALSCALE:GREGORIAN");
    lines.add("METHOD:PUBLISH");
    lines.addAll(timeZone(zone, event.startsAt(), event.endsAt()));
    lines.add("BEGIN:VEVENT");
    lines.add("UID:" + event.id() + "@boxoffice");
    lines.add("DTSTAMP:" + UTC.format(now));
    lines.add("DTSTART;TZID=" + zone.getId() + ":" + LOCAL.format(event.startsAt().atZone(zone)));
    lines.add("DTEND;TZID=" + zone.getId() + ":" + LOCAL.format(event.endsAt().atZone(zone)));
    lines.add("SUMMARY:" + text(event.title()));
    lines.add("DESCRIPTION:" + text(event.description().isEmpty() ? eventUrl : event.description() + "\n\n" + eventUrl));
    lines.add("LOCATION:" + text(event.venue() + ", " + event.city()));
    lines.add("URL:" + eventUrl);
    lines.add("CATEGORIES:" + text(event.category()));
    lines.add("STATUS:" + (event.status() == Event.Status.CANCELLED ? "CANCELLED" : "CONFIRMED"));
    lines.add("END:VEVENT");
    lines.add("END:VCALENDAR");
    StringBuilder file = new StringBuilder();
    lines.forEach(line -> file.append(folded(line)));
    return file.toString();
  }

  /** A file name that every system accepts, from the event's title (accents dropped, not the letters). */
  static String fileName(Event event) {
    String slug = Normalizer.normalize(event.title(), Normalizer.Form.NFD).replaceAll("\\p{M}", "")
        .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
        .replaceAll("(^-+|-+$)", "");
    return (slug.isEmpty() ? "event" : slug.substring(0, Math.min(slug.length(), 60))) + ".ics";
  }

  private static List<String> timeZone(ZoneId zone, Instant start, Instant end) {
    ZoneRules rules = zone.getRules();
    int firstYear = start.atZone(zone).getYear() - 1;
    Instant from = LocalDateTime.of(firstYear, 1, 1, 0, 0).atZone(zone).toInstant();
    Instant until = LocalDateTime.of(end.atZone(zone).getYear() + 2, 1, 1, 0, 0).atZone(zone).toInstant();
    List<String> lines = new ArrayList<>();
    lines.add("BEGIN:VTIMEZONE");
    lines.add("TZID:" + zone.getId());
    ZoneOffset before = rules.getOffset(from);
    // The offset in force at the window's start, as an observance from then, for the instants before any transition.
    lines.addAll(observance(rules.isDaylightSavings(from), LocalDateTime.ofInstant(from, before), before, before));
    ZoneOffsetTransition transition = rules.nextTransition(from);
    while (transition != null && transition.getInstant().isBefore(until)) {
      lines.addAll(observance(rules.isDaylightSavings(transition.getInstant()), transition.getDateTimeBefore(),
          transition.getOffsetBefore(), transition.getOffsetAfter()));
      transition = rules.nextTransition(transition.getInstant());
    }
    lines.add("END:VTIMEZONE");
    return lines;
  }

  private static List<String> observance(boolean daylight, LocalDateTime onset, ZoneOffset from, ZoneOffset to) {
    String kind = daylight ? "DAYLIGHT" : "STANDARD";
    return List.of("BEGIN:" + kind, "DTSTART:" + LOCAL.format(onset), "TZOFFSETFROM:" + offset(from),
        "TZOFFSETTO:" + offset(to), "END:" + kind);
  }

  /** {@code +HHMM}, or {@code +HHMMSS} for the historical offsets that have seconds. */
  private static String offset(ZoneOffset offset) {
    int seconds = offset.getTotalSeconds();
    int magnitude = Math.abs(seconds);
    String sign = seconds < 0 ? "-" : "+";
    String hoursMinutes = String.format("%s%02d%02d", sign, magnitude / 3600, magnitude / 60 % 60);
    return magnitude % 60 == 0 ? hoursMinutes : hoursMinutes + String.format("%02d", magnitude % 60);
  }

  /** A TEXT value: backslash, semicolon, comma and line breaks escaped (RFC 5545 3.3.11). */
  static String text(String value) {
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
  }

  /**
   * The line with CRLF, folded so that no physical line exceeds 75 octets of UTF-8: each continuation starts with a
   * space, and a character's bytes are never split across lines.
   */
  static String folded(String line) {
    StringBuilder out = new StringBuilder();
    int octets = 0;
    int index = 0;
    while (index < line.length()) {
      int codePoint = line.codePointAt(index);
      String character = new String(Character.toChars(codePoint));
      int size = character.getBytes(StandardCharsets.UTF_8).length;
      if (octets + size > MAX_LINE_OCTETS) {
        out.append("\r\n ");
        octets = 1;
      }
      out.append(character);
      octets += size;
      index += Character.charCount(codePoint);
    }
    return out.append("\r\n").toString();
  }
}
