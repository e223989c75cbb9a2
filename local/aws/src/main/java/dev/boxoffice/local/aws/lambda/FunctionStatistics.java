package dev.boxoffice.local.aws.lambda;

import java.time.Duration;

/**
 * What one function's execution environments have done so far: Lambda's CloudWatch metrics, locally.
 *
 * @param coldStarts environments created, each constructing the handler once
 * @param maxInit the longest handler construction (Lambda's {@code Init Duration})
 * @param throttles invocations refused with TooManyRequestsException
 * @param timeouts invocations ended by the function's Timeout, each discarding its environment
 * @param environments environments alive now, busy or idle
 * @param peakConcurrency the most invocations in flight at once
 */
public record FunctionStatistics(long invocations, long coldStarts, Duration maxInit, Duration totalInit,
                                 long throttles, long timeouts, int environments, int peakConcurrency) {
}
