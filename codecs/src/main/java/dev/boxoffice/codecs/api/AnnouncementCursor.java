package dev.boxoffice.codecs.api;

import java.util.Map;

/**
 * Where an announcement stands among its event's matching subscribers: which of the interest keys it is reading
 * ({@code interest}, an index into the event's keys) and after which item of that key's index ({@code after}, the
 * query's last evaluated key; absent at the start of a key).
 */
public record AnnouncementCursor(int interest, Map<String, String> after) {
}
