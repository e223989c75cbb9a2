package dev.boxoffice.codecs.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where an address stands with the announcements: never asked, waiting for confirmation, confirmed, or left. */
public enum SubscriptionStatus {
  @JsonProperty("none") NONE,
  @JsonProperty("pending") PENDING,
  @JsonProperty("confirmed") CONFIRMED,
  @JsonProperty("unsubscribed") UNSUBSCRIBED
}
