package dev.boxoffice.codecs.api;

/**
 * Output of announce-event: how many announcements this batch published, and where the next batch starts
 * ({@code cursor} absent when every matching subscriber has been announced to: the Lambda runtime leaves nulls out).
 */
public record AnnouncementProgress(int published, AnnouncementCursor cursor) {
}
