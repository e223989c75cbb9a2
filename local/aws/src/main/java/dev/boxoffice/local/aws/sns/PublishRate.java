package dev.boxoffice.local.aws.sns;

/**
 * The account's Publish rate: a bucket of one second's worth of calls, refilled continuously. A rate of 0 lets
 * everything through.
 */
final class PublishRate {

  private final double perSecond;
  private double tokens;
  private long refilledAt = System.nanoTime();

  PublishRate(double perSecond) {
    this.perSecond = perSecond;
    this.tokens = perSecond;
  }

  synchronized boolean tryTake() {
    if (perSecond <= 0) {
      return true;
    }
    long now = System.nanoTime();
    tokens = Math.min(perSecond, tokens + (now - refilledAt) / 1e9 * perSecond);
    refilledAt = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
