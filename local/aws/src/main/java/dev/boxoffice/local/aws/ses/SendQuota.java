package dev.boxoffice.local.aws.ses;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The account's sending quota as SES enforces it, counted in recipients: at most {@code maxSendRate} per second
 * (a token bucket holding one second's worth, so a burst of one second passes) and at most {@code max24HourSend}
 * in any 24 hours (-1: unlimited, as AWS reports an unlimited quota).
 */
final class SendQuota {

  private static final Duration DAY = Duration.ofHours(24);

  private final double maxSendRate;
  private final long max24HourSend;
  private final Clock clock;
  private final Deque<Instant> sentInLastDay = new ArrayDeque<>();
  private double tokens;
  private Instant refilledAt;

  SendQuota(double maxSendRate, long max24HourSend, Clock clock) {
    if (maxSendRate <= 0) {
      throw new IllegalArgumentException("the maximum send rate must be positive");
    }
    this.maxSendRate = maxSendRate;
    this.max24HourSend = max24HourSend;
    this.clock = clock;
    this.tokens = maxSendRate;
    this.refilledAt = clock.instant();
  }

  /** Takes {@code recipients} from the quota, or fails as SES does when the rate or the day's quota is used up. */
  synchronized void take(int recipients) {
    Instant now = clock.instant();
    tokens = Math.min(maxSendRate, tokens + Duration.between(refilledAt, now).toNanos() / 1e9 * maxSendRate);
    refilledAt = now;
    while (!sentInLastDay.isEmpty() && sentInLastDay.peekFirst().isBefore(now.minus(DAY))) {
      sentInLastDay.removeFirst();
    }
    if (max24HourSend >= 0 && sentInLastDay.size() + recipients > max24HourSend) {
      throw SesException.limitExceeded("Daily message quota exceeded.");
    }
    if (tokens < recipients) {
      throw SesException.tooManyRequests("Maximum sending rate exceeded.");
    }
    tokens -= recipients;
    for (int sent = 0; sent < recipients; sent++) {
      sentInLastDay.addLast(now);
    }
  }

  synchronized long sentLast24Hours() {
    Instant now = clock.instant();
    return sentInLastDay.stream().filter(at -> !at.isBefore(now.minus(DAY))).count();
  }

  double maxSendRate() {
    return maxSendRate;
  }

  long max24HourSend() {
    return max24HourSend;
  }
}
