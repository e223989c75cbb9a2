package dev.boxoffice.codecs.api;

/** Input of the check-subscription function, sent by the subscription state machine. */
public record SubscriptionCheckRequest(String email) {
}
