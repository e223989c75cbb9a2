package dev.boxoffice.backend.model;

import java.time.Instant;

/** An event to create as a draft; {@code imageKey} and {@code maxTicketsPerBuyer} (no limit) may be null. */
public record NewEvent(String title, String description, String category, String venue, String city, Instant startsAt,
                       Instant endsAt, String timeZone, String imageKey, int holdMinutes, Integer maxTicketsPerBuyer) {
}
