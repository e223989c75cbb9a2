package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * An event as its organizer wrote it; {@code imageKey} is null when it has no image. {@code holdMinutes} is how long
 * a buyer's hold of its priced tickets lasts while they pay; {@code maxTicketsPerBuyer} how many of its tickets one
 * buyer may have in orders and holds together (null: no limit).
 */
public record Event(UUID id, String organizerEmail, String title, String description, String category, String venue,
                    String city, Instant startsAt, Instant endsAt, String timeZone, Status status, String imageKey,
                    int holdMinutes, Integer maxTicketsPerBuyer) {

  public static final int DEFAULT_HOLD_MINUTES = 10;

  /** Drafts are the organizer's only; published events are public and on sale; cancelled ones stay visible. */
  public enum Status {
    DRAFT, PUBLISHED, CANCELLED;

    private final String text = name().toLowerCase(Locale.ROOT);

    /** As the database stores it and the API spells it. */
    public String text() {
      return text;
    }

    public static Status of(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }
}
