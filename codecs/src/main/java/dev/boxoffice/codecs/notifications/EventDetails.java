package dev.boxoffice.codecs.notifications;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.UUID;

/**
 * What an email says about an event: its title as the organizer wrote it (any length, any characters: the mailer
 * makes it fit a subject line), where and when, {@link #timeZone()} being the venue's IANA zone.
 * {@link #venue()} and {@link #endsAt()} may be null where the publisher does not know them.
 */
public record EventDetails(UUID eventId, String title, String venue, String city, Instant startsAt, Instant endsAt,
                           String timeZone) {

  public EventDetails {
    Objects.requireNonNull(eventId, "eventId");
    title = Checks.text(title, "title", 1000);
    Objects.requireNonNull(city, "city");
    Objects.requireNonNull(startsAt, "startsAt");
    Objects.requireNonNull(timeZone, "timeZone");
    try {
      ZoneId.of(timeZone);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("timeZone must be an IANA zone such as Europe/Paris");
    }
    if (endsAt != null && endsAt.isBefore(startsAt)) {
      throw new IllegalArgumentException("endsAt must not be before startsAt");
    }
  }

  public ZoneId zone() {
    return ZoneId.of(timeZone);
  }
}
