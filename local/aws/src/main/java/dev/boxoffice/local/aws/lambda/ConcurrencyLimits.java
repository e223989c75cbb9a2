package dev.boxoffice.local.aws.lambda;

import dev.boxoffice.local.aws.cloudformation.FunctionDefinition;
import java.util.HashMap;
import java.util.Map;

/**
 * Lambda's concurrency accounting: a function with reserved concurrency runs at most that many invocations at once,
 * the others share what is left of the account's limit, and an invocation beyond either is throttled. Concurrency
 * counts invocations in flight; idle environments count for nothing.
 */
final class ConcurrencyLimits {

  static final String RESERVED_EXCEEDED = "ReservedFunctionConcurrentInvocationLimitExceeded";
  static final String ACCOUNT_EXCEEDED = "ConcurrentInvocationLimitExceeded";

  private final Map<String, Integer> reserved = new HashMap<>();
  private final Map<String, Integer> inFlight = new HashMap<>();
  private final int unreservedLimit;
  private int unreservedInFlight;

  ConcurrencyLimits(Map<String, FunctionDefinition> functions, LambdaQuotas quotas) {
    long reservedTotal = 0;
    for (FunctionDefinition function : functions.values()) {
      if (function.reservedConcurrency().isPresent()) {
        reserved.put(function.functionName(), function.reservedConcurrency().getAsInt());
        reservedTotal += function.reservedConcurrency().getAsInt();
      }
    }
    long unreserved = quotas.accountConcurrency() - reservedTotal;
    if (!reserved.isEmpty() && unreserved < LambdaQuotas.MINIMUM_UNRESERVED) {
      throw new IllegalArgumentException("Specified ReservedConcurrentExecutions for function decreases account's "
          + "UnreservedConcurrentExecution below its minimum value of [" + LambdaQuotas.MINIMUM_UNRESERVED + "] "
          + "(the functions reserve " + reservedTotal + " of the account's " + quotas.accountConcurrency() + ")");
    }
    this.unreservedLimit = (int) Math.min(Integer.MAX_VALUE, unreserved);
  }

  /** Takes a slot for one invocation of {@code function}: null when it may run, else the throttle's reason. */
  synchronized String tryAcquire(String function) {
    int running = inFlight.getOrDefault(function, 0);
    Integer limit = reserved.get(function);
    if (limit != null) {
      if (running >= limit) {
        return RESERVED_EXCEEDED;
      }
    } else if (unreservedInFlight >= unreservedLimit) {
      return ACCOUNT_EXCEEDED;
    } else {
      unreservedInFlight++;
    }
    inFlight.put(function, running + 1);
    return null;
  }

  synchronized void release(String function) {
    inFlight.merge(function, -1, Integer::sum);
    if (!reserved.containsKey(function)) {
      unreservedInFlight--;
    }
  }

  synchronized int inFlight(String function) {
    return inFlight.getOrDefault(function, 0);
  }
}
