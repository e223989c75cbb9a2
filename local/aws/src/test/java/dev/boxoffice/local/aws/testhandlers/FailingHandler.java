package dev.boxoffice.local.aws.testhandlers;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.Map;

/** Test-only Lambda handler that always throws, to check how failures surface. */
public class FailingHandler implements RequestHandler<Map<String, Object>, String> {

  @Override
  public String handleRequest(Map<String, Object> input, Context context) {
    throw new IllegalStateException("the test handler fails on purpose");
  }
}
