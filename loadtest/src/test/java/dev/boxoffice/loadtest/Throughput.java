package dev.boxoffice.loadtest;

import static io.gatling.javaapi.core.CoreDsl.exec;

import io.gatling.javaapi.core.ChainBuilder;
import java.util.concurrent.atomic.AtomicLong;

/** Counts the answers of a chain of requests and the window they came in, for an answers-per-second figure. */
final class Throughput {

  private final AtomicLong answers = new AtomicLong();
  private final AtomicLong firstSentNanos = new AtomicLong();
  private final AtomicLong lastAnsweredNanos = new AtomicLong();

  /** {@code requests} between the marks; counts {@code requestCount} answers each time it completes. */
  ChainBuilder measured(ChainBuilder requests, int requestCount) {
    return exec(session -> {
      firstSentNanos.compareAndSet(0, System.nanoTime());
      return session;
    })
        .exec(requests)
        .exec(session -> {
          answers.addAndGet(requestCount);
          lastAnsweredNanos.accumulateAndGet(System.nanoTime(), Math::max);
          return session;
        });
  }

  long answers() {
    return answers.get();
  }

  double perSecond() {
    return RunResults.perSecond(answers.get(), firstSentNanos.get(), lastAnsweredNanos.get());
  }
}
