package dev.boxoffice.backend.model;

import java.time.Instant;

/**
 * Changes to an event: every null field stays as it is, and {@code removesBuyerLimit} takes the per-buyer limit away
 * (a null {@code maxTicketsPerBuyer} alone keeps it).
 */
public record EventChanges(String title, String description, String category, String venue, String city,
                           Instant startsAt, Instant endsAt, String timeZone, String imageKey, Integer holdMinutes,
                           Integer maxTicketsPerBuyer, boolean removesBuyerLimit) {
}
