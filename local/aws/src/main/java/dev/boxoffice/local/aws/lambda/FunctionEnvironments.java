package dev.boxoffice.local.aws.lambda;

import dev.boxoffice.local.aws.cloudformation.FunctionDefinition;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * The execution environments of one function: the idle ones, most recently used first (Lambda reuses a warm one before
 * starting another), and the counters of {@link FunctionStatistics}.
 */
final class FunctionEnvironments {

  /** One execution environment: a handler instance, constructed by its first invocation, used by one at a time. */
  static final class Environment {
    final int id;
    HandlerMethod handler;
    long idleSince;

    Environment(int id) {
      this.id = id;
    }
  }

  private final FunctionDefinition function;
  private final Deque<Environment> idle = new ArrayDeque<>();
  private int created;
  private int alive;
  private int busy;
  private long invocations;
  private long coldStarts;
  private long totalInitNanos;
  private long maxInitNanos;
  private long throttles;
  private long timeouts;
  private int peakConcurrency;

  FunctionEnvironments(FunctionDefinition function) {
    this.function = function;
  }

  FunctionDefinition function() {
    return function;
  }

  /** A warm environment if one is idle, else a new one whose first invocation will construct the handler. */
  synchronized Environment take() {
    invocations++;
    busy++;
    peakConcurrency = Math.max(peakConcurrency, busy);
    Environment environment = idle.pollFirst();
    if (environment == null) {
      environment = new Environment(++created);
      alive++;
    }
    return environment;
  }

  /** The invocation ended normally: the environment waits, warm, for the next one. */
  synchronized void giveBack(Environment environment) {
    busy--;
    environment.idleSince = System.nanoTime();
    idle.addFirst(environment);
  }

  /** The invocation timed out or its handler could not be constructed: the environment is gone. */
  synchronized void discard(boolean timedOut) {
    busy--;
    alive--;
    if (timedOut) {
      timeouts++;
    }
  }

  synchronized void coldStarted(long initNanos) {
    coldStarts++;
    totalInitNanos += initNanos;
    maxInitNanos = Math.max(maxInitNanos, initNanos);
  }

  synchronized void throttled() {
    throttles++;
  }

  /** Lets go of environments idle longer than {@code lifetime}; returns how many. */
  synchronized int reap(Duration lifetime) {
    long oldest = System.nanoTime() - lifetime.toNanos();
    int reaped = 0;
    for (Iterator<Environment> environments = idle.iterator(); environments.hasNext(); ) {
      if (environments.next().idleSince - oldest < 0) {
        environments.remove();
        alive--;
        reaped++;
      }
    }
    return reaped;
  }

  synchronized FunctionStatistics statistics() {
    return new FunctionStatistics(invocations, coldStarts, Duration.ofNanos(maxInitNanos),
        Duration.ofNanos(totalInitNanos), throttles, timeouts, alive, peakConcurrency);
  }
}
