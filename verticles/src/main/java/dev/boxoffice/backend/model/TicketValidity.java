package dev.boxoffice.backend.model;

import java.time.Duration;
import java.time.Instant;

/**
 * The window a ticket's QR code admits in, from its event's times: from a day before the event starts (early entry,
 * doors of multi-day venues) until six hours after it ends (late leavers re-entering). Issuance signs it into every
 * token; the door bundle tells doors what it is.
 */
public record TicketValidity(Instant validFrom, Instant validUntil) {

  public static final Duration BEFORE_START = Duration.ofDays(1);
  public static final Duration AFTER_END = Duration.ofHours(6);

  public static TicketValidity of(Instant startsAt, Instant endsAt) {
    return new TicketValidity(startsAt.minus(BEFORE_START), endsAt.plus(AFTER_END));
  }
}
