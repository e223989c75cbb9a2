package dev.boxoffice.local.stepfunctions;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The account's state transition quota: every state a Standard workflow enters and every retry takes a token of one
 * bucket shared by all executions. Beyond it, AWS throttles transitions rather than failing them: they wait for the
 * bucket to refill, and CloudWatch counts them as {@code ExecutionThrottled}. Express workflows are not throttled.
 */
final class StateTransitions {

  private final TokenBucket standard;
  private final Scheduler scheduler;
  private final AtomicLong throttled = new AtomicLong();

  StateTransitions(StepFunctionsQuotas quotas, Scheduler scheduler) {
    this.standard = quotas.standardTransitions() == null ? null
        : new TokenBucket(quotas.standardTransitions(), () -> nanosOf(scheduler.now()));
    this.scheduler = scheduler;
  }

  /** Completes when the execution may make its next transition, at once unless the bucket is empty. */
  Future<Void> admit(Execution execution) {
    if (standard == null || !"STANDARD".equals(execution.stateMachine().type())) {
      return Future.succeededFuture();
    }
    Duration wait = standard.reserve();
    if (wait.isZero()) {
      return Future.succeededFuture();
    }
    throttled.incrementAndGet();
    return scheduler.delay(wait).elapsed();
  }

  private static long nanosOf(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }

  /** How many transitions have waited for the bucket: CloudWatch's {@code ExecutionThrottled}. */
  long throttledCount() {
    return throttled.get();
  }
}
