package dev.boxoffice.codecs.api;

/** POST /confirm-subscription: the signed token of the link in the confirmation email. */
public record SubscriptionLink(String token) {
}
