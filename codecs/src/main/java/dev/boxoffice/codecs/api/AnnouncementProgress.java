package dev.boxoffice.codecs.api;

/**
 * Output of announce-event: how many announcements this batch published, and where the next batch starts
 * ({@code cursor} null when every matching subscriber has been announced to; the state machine loops while it is not).
 */
public record AnnouncementProgress(int published, AnnouncementCursor cursor) {
}
