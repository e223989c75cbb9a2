package dev.boxoffice.local.aws.testhandlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test-only Lambda handler that records each {@code piece} it was given, so a test can tell which attempts ran. */
public class RecordingHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  public static final List<Object> RAN = new CopyOnWriteArrayList<>();

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    RAN.add(input.get("piece"));
    return Map.of("done", input.get("piece"));
  }
}
