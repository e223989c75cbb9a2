package dev.boxoffice.backend.model;

import java.time.Instant;

/**
 * Where a buyer stands in an event's waiting room: {@code place} is their number in the line from its front, counting
 * those let in before (0 when not known: they were let in before the line was rebuilt). Waiting: {@code ahead} people before them, their turn in about
 * {@code estimatedWaitSeconds}. Admitted: {@code admission} is the token their purchases carry until
 * {@code admissionExpiresAt}. Paused: the line is being rebuilt, nobody is admitted meanwhile, places are kept.
 * {@code pollAfterSeconds} is when to ask again.
 */
public record QueueStatus(State state, long place, Instant opensAt, long ahead, long estimatedWaitSeconds, int pollAfterSeconds,
                          String admission, Instant admissionExpiresAt) {

  public enum State {
    WAITING, ADMITTED, PAUSED;

    public String text() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
