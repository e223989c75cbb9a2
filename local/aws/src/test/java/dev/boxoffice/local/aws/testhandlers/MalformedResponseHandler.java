package dev.boxoffice.local.aws.testhandlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Test-only Lambda handler whose answer is not a proxy response (no statusCode), as a buggy function might return. */
public class MalformedResponseHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    return Map.of("hello", "world");
  }
}
