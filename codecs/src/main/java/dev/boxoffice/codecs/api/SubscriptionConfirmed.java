package dev.boxoffice.codecs.api;

import java.util.List;

/** Answer of /confirm-subscription and /unsubscribe: the subscription's status and what it now announces. */
public record SubscriptionConfirmed(SubscriptionStatus status, List<String> categories, List<String> cities) {
}
