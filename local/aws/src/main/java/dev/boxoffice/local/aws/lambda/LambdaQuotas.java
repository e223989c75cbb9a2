package dev.boxoffice.local.aws.lambda;

import java.time.Duration;

/**
 * How many execution environments the account may run at once, and how long an idle one is kept warm.
 *
 * @param accountConcurrency the account's concurrent executions in the region; AWS's default is 1,000
 *     (https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html), new accounts get less until AWS
 *     raises it with their usage
 * @param idleLifetime how long an idle environment stays warm; AWS does not document it (minutes, observed 5 to 15)
 */
public record LambdaQuotas(int accountConcurrency, Duration idleLifetime) {

  /** Lambda keeps this much of the account's concurrency for functions without reserved concurrency. */
  public static final int MINIMUM_UNRESERVED = 100;

  public LambdaQuotas {
    if (accountConcurrency < 1) {
      throw new IllegalArgumentException("the account concurrency must be at least 1, not " + accountConcurrency);
    }
    if (idleLifetime.isNegative() || idleLifetime.isZero()) {
      throw new IllegalArgumentException("the idle lifetime must be positive, not " + idleLifetime);
    }
  }

  /** AWS's default: 1,000 concurrent executions; idle environments kept five minutes. */
  public static LambdaQuotas aws() {
    return new LambdaQuotas(1000, Duration.ofMinutes(5));
  }

  /** No account limit (reserved concurrency, being the function's own setting, still holds). */
  public static LambdaQuotas unlimited() {
    return new LambdaQuotas(Integer.MAX_VALUE, Duration.ofMinutes(5));
  }
}
