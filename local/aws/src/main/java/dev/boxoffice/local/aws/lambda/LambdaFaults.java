package dev.boxoffice.local.aws.lambda;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Faults injected into a function's invocations for an experiment, as AWS Fault Injection Service's
 * {@code aws:lambda:invocation-error} action injects them with {@code preventExecution} false: the handler runs (its
 * side effects happen: objects written, messages published) and the invocation is then reported failed. Here only
 * <em>first attempts</em> fail: an invocation whose payload the function has not had before; a retry, which Step
 * Functions makes with the same payload, runs normally. So a caller that retries sees each piece of work fail at most
 * once, and what the experiment checks is that work done twice is done once in effect.
 *
 * <p>Set with {@code BOXOFFICE_LOCAL_LAMBDA_FAULTS}, e.g. {@code CreateTicketFunction=50}: the function (its logical
 * id or its name) and the percentage of its first attempts that fail, spread evenly (50: every other one).
 */
public final class LambdaFaults {

  /** The error type a failed attempt reports (FIS leaves it to the function's runtime; ours names the experiment). */
  public static final String ERROR_TYPE = "InjectedFault";

  private final Map<String, Integer> percentByFunction;
  private final Map<String, Set<String>> payloadsSeen = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> firstAttempts = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> injected = new ConcurrentHashMap<>();

  private LambdaFaults(Map<String, Integer> percentByFunction) {
    this.percentByFunction = Map.copyOf(percentByFunction);
  }

  public static LambdaFaults none() {
    return new LambdaFaults(Map.of());
  }

  /** Parses {@code Function=percent[,Function=percent...]}; blank means none. */
  public static LambdaFaults parse(String specification) {
    Map<String, Integer> percentByFunction = new HashMap<>();
    for (String entry : specification.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] parts = entry.trim().split("=", 2);
      int percent;
      try {
        percent = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : -1;
      } catch (NumberFormatException notANumber) {
        percent = -1;
      }
      if (parts[0].isBlank() || percent < 0 || percent > 100) {
        throw new IllegalArgumentException("BOXOFFICE_LOCAL_LAMBDA_FAULTS takes Function=percent (0 to 100) entries"
            + " separated by commas, not '" + entry.trim() + "'");
      }
      percentByFunction.put(parts[0].trim(), percent);
    }
    return new LambdaFaults(percentByFunction);
  }

  public boolean isEmpty() {
    return percentByFunction.isEmpty();
  }

  /**
   * Whether this invocation of the function (known by its logical id and its name) is a first attempt chosen to
   * fail; counts it if so.
   */
  boolean failsThisAttempt(String logicalId, String functionName, String payloadJson) {
    Integer percent = percentByFunction.getOrDefault(logicalId, percentByFunction.get(functionName));
    if (percent == null || percent == 0) {
      return false;
    }
    if (!payloadsSeen.computeIfAbsent(functionName, name -> ConcurrentHashMap.newKeySet()).add(digest(payloadJson))) {
      return false;
    }
    long attempt = firstAttempts.computeIfAbsent(functionName, name -> new AtomicLong()).getAndIncrement();
    // Spread evenly: the n-th first attempt fails when the running share of failures crosses a whole one.
    boolean fails = (attempt + 1) * percent / 100 > attempt * percent / 100;
    if (fails) {
      injected.computeIfAbsent(functionName, name -> new AtomicLong()).incrementAndGet();
    }
    return fails;
  }

  /** The attempts of the function reported failed so far. */
  public long injected(String functionName) {
    AtomicLong count = injected.get(functionName);
    return count == null ? 0 : count.get();
  }

  static LambdaFunctionError error(String functionName) {
    return new LambdaFunctionError(ERROR_TYPE, "aws:lambda:invocation-error: " + functionName + " ran and its"
        + " first attempt is reported failed (BOXOFFICE_LOCAL_LAMBDA_FAULTS)", null);
  }

  private static String digest(String payload) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("every JDK has SHA-256", impossible);
    }
  }
}
