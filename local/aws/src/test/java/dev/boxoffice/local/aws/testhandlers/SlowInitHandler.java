package dev.boxoffice.local.aws.testhandlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/**
 * Test-only Lambda handler whose construction (its cold start) takes 1.5 seconds and whose invocations are instant, to
 * check that a function's Timeout counts from the handler, not from the request.
 */
public class SlowInitHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  public static final long INIT_MILLIS = 1_500;

  public SlowInitHandler() throws InterruptedException {
    Thread.sleep(INIT_MILLIS);
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    return Map.of("remainingTimeInMillis", context.getRemainingTimeInMillis());
  }
}
