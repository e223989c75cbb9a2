package dev.boxoffice.codecs.api;

import java.util.List;

/** Announcement categories and cities a subscriber wants; the handler stores them trimmed and lower-case. */
public record SubscriptionPreferences(List<String> categories, List<String> cities) {
}
