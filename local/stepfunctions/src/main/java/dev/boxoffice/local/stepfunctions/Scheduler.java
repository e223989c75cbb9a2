package dev.boxoffice.local.stepfunctions;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;

/**
 * Time as the engine sees it: the current instant and delays for Wait states, Retry intervals and timeouts.
 * Tests inject a manual one so they never sleep; the stack uses {@link VertxScheduler}.
 */
public interface Scheduler {

  Instant now();

  /** A delay started now; {@link Delay#elapsed()} completes on the caller's Vert.x context when it is over. */
  Delay delay(Duration duration);

  /** A pending delay that can be cancelled (a heartbeat that arrived, a task that finished before its timeout). */
  interface Delay {
    Future<Void> elapsed();

    void cancel();
  }
}
