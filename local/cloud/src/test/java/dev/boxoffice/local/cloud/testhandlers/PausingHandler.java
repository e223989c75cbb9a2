package dev.boxoffice.local.cloud.testhandlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Test-only Lambda handler that works {@code {"pauseMillis": n}} milliseconds, then answers its input. */
public class PausingHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    try {
      Thread.sleep(((Number) input.getOrDefault("pauseMillis", 0)).longValue());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return input;
  }
}
