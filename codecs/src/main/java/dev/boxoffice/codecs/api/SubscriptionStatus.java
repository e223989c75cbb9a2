package dev.boxoffice.codecs.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where an address stands with the announcement topic's email subscriptions. */
public enum SubscriptionStatus {
  @JsonProperty("none") NONE,
  @JsonProperty("pending") PENDING,
  @JsonProperty("confirmed") CONFIRMED
}
