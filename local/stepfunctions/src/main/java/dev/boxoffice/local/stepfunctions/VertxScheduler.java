package dev.boxoffice.local.stepfunctions;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;

/** The wall clock and Vert.x timers: a Wait state is a timer on the event loop, never a sleeping thread. */
public final class VertxScheduler implements Scheduler {

  private final Vertx vertx;

  public VertxScheduler(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public Delay delay(Duration duration) {
    Promise<Void> promise = Promise.promise();
    if (duration.isZero() || duration.isNegative()) {
      promise.complete();
      return new TimerDelay(promise.future(), -1);
    }
    long timerId = vertx.setTimer(Math.max(1, duration.toMillis()), id -> promise.tryComplete());
    return new TimerDelay(promise.future(), timerId);
  }

  private final class TimerDelay implements Delay {
    private final Future<Void> elapsed;
    private final long timerId;

    TimerDelay(Future<Void> elapsed, long timerId) {
      this.elapsed = elapsed;
      this.timerId = timerId;
    }

    @Override
    public Future<Void> elapsed() {
      return elapsed;
    }

    @Override
    public void cancel() {
      if (timerId >= 0) {
        vertx.cancelTimer(timerId);
      }
    }
  }
}
