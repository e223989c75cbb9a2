package dev.boxoffice.local.aws.testhandlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * Test-only Lambda handler that outlives its Timeout when the payload asks it to ({@code {"sleepMillis": n}}) and
 * otherwise reports the time left, to check the deadline and the container discarded after a timeout.
 */
public class SlowHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  private final long instanceId = System.nanoTime();

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    long sleepMillis = input == null ? 10_000 : ((Number) input.getOrDefault("sleepMillis", 10_000)).longValue();
    try {
      Thread.sleep(sleepMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Map.of("instanceId", instanceId, "remainingTimeInMillis", context.getRemainingTimeInMillis());
  }
}
