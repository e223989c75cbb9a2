package dev.boxoffice.codecs.api;

import java.time.Instant;
import java.util.UUID;

/**
 * Input of announce-event, from the event-announcement state machine: the published event, and where the previous
 * batch stopped ({@code cursor} absent for the first).
 */
public record AnnouncementBatch(UUID eventId, String title, String category, String city, Instant startsAt,
                                String timeZone, AnnouncementCursor cursor) {
}
