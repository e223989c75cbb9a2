package dev.boxoffice.lambdas;

import java.time.Duration;

/**
 * Spaces one mailer instance's sends so that all instances together stay within the account's SES sending rate:
 * each of the at most {@code concurrency} instances the event source mapping runs sends at
 * {@code maxSendRate / concurrency} a second.
 */
final class SendPacer {

  private final long intervalNanos;
  private long nextSendAt = System.nanoTime();

  SendPacer(double maxSendRate, int concurrency) {
    if (maxSendRate <= 0 || concurrency < 1) {
      throw new IllegalStateException("the SES send rate and the mailer concurrency must be positive");
    }
    this.intervalNanos = (long) (Duration.ofSeconds(1).toNanos() * concurrency / maxSendRate);
  }

  /** Waits until this instance may send its next mail. */
  synchronized void awaitTurn() {
    long now = System.nanoTime();
    long wait = nextSendAt - now;
    if (wait > 0) {
      try {
        Thread.sleep(Duration.ofNanos(wait));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while pacing sends", e);
      }
    }
    nextSendAt = Math.max(now, nextSendAt) + intervalNanos;
  }
}
