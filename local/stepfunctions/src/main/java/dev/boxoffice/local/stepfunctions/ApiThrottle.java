package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;

/**
 * The API's throttling: one token bucket per throttled action for the whole account, StartExecution's depending on
 * whether the machine is a Standard or an Express one. A call finding its bucket empty is refused with
 * {@code ThrottlingException} (HTTP 400, "Rate exceeded."), which the AWS SDKs retry with backoff.
 */
final class ApiThrottle {

  private final StepFunctionsEngine engine;
  private final Map<String, TokenBucket> buckets = new HashMap<>();
  private final TokenBucket expressStarts;

  ApiThrottle(StepFunctionsEngine engine) {
    this.engine = engine;
    StepFunctionsQuotas quotas = engine.config().quotas();
    quotas.apiBuckets().forEach((action, bucket) -> buckets.put(action, new TokenBucket(bucket)));
    this.expressStarts = quotas.expressStartExecution() == null ? null
        : new TokenBucket(quotas.expressStartExecution());
  }

  /** Takes the call's token, or refuses it as AWS does when there is none. */
  void admit(String action, JsonNode request) {
    TokenBucket bucket = action.equals("StartExecution") && isExpress(request.path("stateMachineArn").asText(null))
        ? expressStarts : buckets.get(action);
    if (bucket != null && !bucket.tryTake()) {
      throw new StepFunctionsException("ThrottlingException", "Rate exceeded");
    }
  }

  private boolean isExpress(String stateMachineArn) {
    if (stateMachineArn == null) {
      return false;
    }
    try {
      return "EXPRESS".equals(engine.describeStateMachine(stateMachineArn).type());
    } catch (StepFunctionsException unknownMachine) {
      return false;
    }
  }
}
