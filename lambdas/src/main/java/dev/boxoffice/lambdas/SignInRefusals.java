package dev.boxoffice.lambdas;

import dev.boxoffice.codecs.ErrorBody;
import java.time.Duration;
import java.util.Map;

/**
 * The 429 answers of the sign-in limits, with {@code Retry-After}. They name which budget ran out (the caller's
 * network, the address, everyone's) but nothing the caller could not know: whether the address has an account, or a
 * code pending, never changes them.
 */
final class SignInRefusals {

  private SignInRefusals() {
  }

  static ApiException codes(SignInLimits.Refusal refusal) {
    return switch (refusal.limit()) {
      case NETWORK -> tooMany("too_many_requests", refusal.retryAfter(),
          "Too many sign-in codes asked for from your network; try again in %s");
      case ADDRESS -> tooMany("too_many_codes", refusal.retryAfter(),
          "Too many codes sent to this address lately; use the last one or try again in %s");
      case EVERYONE -> tooMany("busy", refusal.retryAfter(),
          "Sign-in codes are in high demand; try again in %s");
    };
  }

  static ApiException attempts(SignInLimits.Refusal refusal) {
    return tooMany("too_many_attempts", refusal.retryAfter(),
        "Too many sign-in attempts from your network; try again in %s");
  }

  private static ApiException tooMany(String code, Duration retryAfter, String message) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return new ApiException(429, ErrorBody.of(code, message.formatted(spoken(seconds))),
        Map.of("Retry-After", Long.toString(seconds)));
  }

  private static String spoken(long seconds) {
    if (seconds < 120) {
      return seconds + " seconds";
    }
    long minutes = (seconds + 59) / 60;
    return minutes < 120 ? minutes + " minutes" : (minutes + 59) / 60 + " hours";
  }
}
