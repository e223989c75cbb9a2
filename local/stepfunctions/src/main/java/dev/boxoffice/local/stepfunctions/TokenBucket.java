package dev.boxoffice.local.stepfunctions;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * AWS's throttling scheme: a bucket of {@code size} tokens refilled at {@code refillPerSecond}, one token per call.
 * Thread-safe; time comes from the given clock of nanoseconds ({@link System#nanoTime()} unless a test's).
 */
final class TokenBucket {

  private final double size;
  private final double refillPerNano;
  private final LongSupplier nanoClock;
  private double tokens;
  private long refilledAt;

  TokenBucket(StepFunctionsQuotas.Bucket bucket) {
    this(bucket, System::nanoTime);
  }

  TokenBucket(StepFunctionsQuotas.Bucket bucket, LongSupplier nanoClock) {
    this.size = bucket.size();
    this.refillPerNano = bucket.refillPerSecond() / 1e9;
    this.nanoClock = nanoClock;
    this.tokens = bucket.size();
    this.refilledAt = nanoClock.getAsLong();
  }

  /** Takes a token if one is there: the call goes ahead; false means it is throttled. */
  synchronized boolean tryTake() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /**
   * Takes the next token, waiting in line when there is none: the bucket goes below zero, and the caller waits until
   * its token has been refilled. Returns that wait, zero when a token was there.
   */
  synchronized Duration reserve() {
    refill();
    tokens -= 1;
    return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / refillPerNano));
  }

  private void refill() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(size, tokens + (now - refilledAt) * refillPerNano);
    refilledAt = now;
  }
}
