package dev.boxoffice.codecs.api;

/**
 * Output of check-subscription: the address's subscriber id, where it stands, and whether it is confirmed with
 * exactly the preferences asked for (then there is nothing to confirm).
 */
public record SubscriptionCheck(String subscriberId, SubscriptionStatus status, boolean unchanged) {
}
