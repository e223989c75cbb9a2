package dev.boxoffice.local.aws.sns;

/**
 * The account's Publish rate, in messages (a PublishBatch of ten takes ten): a bucket of one second's worth,
 * refilled continuously. A rate of 0 lets everything through.
 */
final class PublishRate {

  private final double perSecond;
  private double tokens;
  private long refilledAt = System.nanoTime();

  PublishRate(double perSecond) {
    this.perSecond = perSecond;
    this.tokens = perSecond;
  }

  synchronized boolean tryTake(int messages) {
    if (perSecond <= 0) {
      return true;
    }
    long now = System.nanoTime();
    tokens = Math.min(perSecond, tokens + (now - refilledAt) / 1e9 * perSecond);
    refilledAt = now;
    if (tokens >= messages) {
      tokens -= messages;
      return true;
    }
    return false;
  }
}
