package dev.boxoffice.codecs.api;

/** POST /subscribe: who wants announcements, and of what. */
public record SubscribeRequest(String email, SubscriptionPreferences preferences) {
}
