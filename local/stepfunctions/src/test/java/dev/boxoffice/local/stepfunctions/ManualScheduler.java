package dev.boxoffice.local.stepfunctions;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** A clock that moves only when a test says so, and tells the test each delay the engine asks for. */
final class ManualScheduler implements Scheduler {

  private Instant now = Instant.parse("2030-01-01T00:00:00Z");
  private final List<Pending> pending = new ArrayList<>();
  private final Deque<Duration> unclaimed = new ArrayDeque<>();
  private final Deque<Promise<Duration>> listeners = new ArrayDeque<>();

  private record Pending(Instant due, Promise<Void> promise, Context context) {
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized Delay delay(Duration duration) {
    Promise<Void> promise = Promise.promise();
    if (duration.isZero() || duration.isNegative()) {
      promise.complete();
      return delay(promise, null);
    }
    Pending entry = new Pending(now.plus(duration), promise, Vertx.currentContext());
    pending.add(entry);
    Promise<Duration> listener = listeners.poll();
    if (listener == null) {
      unclaimed.add(duration);
    } else {
      listener.complete(duration);
    }
    return delay(promise, entry);
  }

  private Delay delay(Promise<Void> promise, Pending entry) {
    return new Delay() {
      @Override
      public Future<Void> elapsed() {
        return promise.future();
      }

      @Override
      public void cancel() {
        synchronized (ManualScheduler.this) {
          pending.remove(entry);
        }
      }
    };
  }

  /** Completes with the next delay the engine requests (or one requested already and not yet claimed). */
  synchronized Future<Duration> nextDelay() {
    Duration duration = unclaimed.poll();
    if (duration != null) {
      return Future.succeededFuture(duration);
    }
    Promise<Duration> listener = Promise.promise();
    listeners.add(listener);
    return listener.future();
  }

  /** Moves the clock and fires every delay that is due, each on the context that asked for it. */
  void advance(Duration by) {
    List<Pending> due = new ArrayList<>();
    synchronized (this) {
      now = now.plus(by);
      for (Pending entry : List.copyOf(pending)) {
        if (!entry.due().isAfter(now)) {
          pending.remove(entry);
          due.add(entry);
        }
      }
    }
    for (Pending entry : due) {
      if (entry.context() == null) {
        entry.promise().tryComplete();
      } else {
        entry.context().runOnContext(v -> entry.promise().tryComplete());
      }
    }
  }
}
