package dev.boxoffice.codecs.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Output of check-subscription; {@code subscriptionArn} only when {@code status} is confirmed. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionCheck(SubscriptionStatus status, String subscriptionArn) {
}
