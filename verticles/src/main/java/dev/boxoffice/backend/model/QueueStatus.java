package dev.boxoffice.backend.model;

import java.time.Instant;

/**
 * Where a buyer stands in an event's waiting room: {@code place} is their number in the line from its front, counting
 * those let in before (0 when not known: they were let in before the line was rebuilt). Waiting: {@code ahead} people
 * before them, their turn in about {@code estimatedWaitSeconds}. Admitted: {@code admission} is the token their
 * purchases carry until {@code admissionExpiresAt}. Paused: the line is being rebuilt, nobody is admitted meanwhile,
 * places are kept. {@code pollAfterMillis} is when to ask again. {@code soldOut}: every ticket of the event is sold or
 * held now, as far as the sold-out flags say (holds that are not paid for put tickets back).
 */
public record QueueStatus(State state, long place, Instant opensAt, long ahead, long estimatedWaitSeconds,
                          long pollAfterMillis, String admission, Instant admissionExpiresAt, boolean soldOut) {

  /** How long a buyer waiting at a sold-out sale waits before asking again, unless their turn comes sooner. */
  public static final long SOLD_OUT_POLL_AFTER_MILLIS = 30_000;

  /** {@link #pollAfterMillis} in whole seconds, rounded up: for clients that count in seconds. */
  public long pollAfterSeconds() {
    return (pollAfterMillis + 999) / 1000;
  }

  /**
   * This status at a sold-out sale: the place is kept (tickets may come back), and who is waiting asks again in 30 s,
   * for nothing is left to buy in between.
   */
  public QueueStatus atSoldOutSale() {
    long pollAfter = state == State.WAITING ? SOLD_OUT_POLL_AFTER_MILLIS : pollAfterMillis;
    return new QueueStatus(state, place, opensAt, ahead, estimatedWaitSeconds, pollAfter, admission,
        admissionExpiresAt, true);
  }

  public enum State {
    WAITING, ADMITTED, PAUSED;

    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
