package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/** How long a Wait state waits, from its Seconds or Timestamp, refused with the error texts AWS records. */
record WaitTimes(Instant now, Payloads.Site site) {

  /** AWS keeps a wait in a signed 32-bit count of seconds (24,855 days pass, 24,856 fail). */
  private static final long MAX_WAIT_SECONDS = Integer.MAX_VALUE;

  Duration seconds(JsonNode seconds, String field, String path) {
    if (!seconds.isIntegralNumber()) {
      throw site.runtime("The " + field + " parameter cannot be parsed as a long value: " + path + " == "
          + Values.javaText(seconds));
    }
    if (seconds.longValue() < 0) {
      throw site.runtime("The " + field + " parameter references a negative value: " + path + " == "
          + seconds.longValue());
    }
    return Duration.ofSeconds(seconds.longValue());
  }

  Duration untilTimestamp(JsonNode value, String field, String path) {
    OffsetDateTime timestamp = ChoiceRules.timestamp(value);
    if (timestamp == null) {
      throw site.runtime("The " + field + " parameter does not reference a valid ISO-8601 extended offset "
          + "date-time format string: " + path + " == " + Values.javaText(value));
    }
    return until(timestamp);
  }

  /** A JSONata Timestamp that is no date-time is a query evaluation error on AWS, with a text of its own. */
  Duration untilJsonataTimestamp(JsonNode value) {
    OffsetDateTime timestamp = ChoiceRules.timestamp(value);
    if (timestamp == null) {
      throw new StatesError(StatesError.QUERY_EVALUATION_ERROR, site.prefix() + "The Timestamp field cannot be "
          + "parsed as an ISO-8601 extended offset date-time format string: " + Values.javaText(value));
    }
    return until(timestamp);
  }

  Duration checked(Duration wait) {
    if (wait.getSeconds() > MAX_WAIT_SECONDS) {
      throw site.runtime("Wait state delay is too long.");
    }
    return wait;
  }

  private Duration until(OffsetDateTime timestamp) {
    Duration wait = Duration.between(now, timestamp.toInstant());
    return wait.isNegative() ? Duration.ZERO : wait;
  }
}
