package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;

/**
 * How Task states reach Lambda functions. The local stack wires this to its in-process Lambda runner; the engine
 * knows nothing else about Lambda.
 */
@FunctionalInterface
public interface LambdaInvoker {

  /**
   * Invokes a function with a JSON payload and completes with the function's JSON response. A function error fails
   * the future with a {@link StatesError} whose error is the function's error type (e.g. {@code HandledError}) and
   * whose cause is the error payload JSON, see {@link #functionError(String, String)}; any other failure becomes
   * {@code Lambda.ServiceException}.
   *
   * @param functionArnOrName a function name, a function ARN, or a partial ARN, as ASL allows in FunctionName
   */
  Future<String> invoke(String functionArnOrName, String payloadJson);

  /**
   * Invokes a function as the state machine role {@code roleArn}, as Step Functions does: an invoker that checks
   * permissions refuses a role without {@code lambda:InvokeFunction} on it (Lambda's AccessDeniedException, which
   * Step Functions reports as {@code Lambda.AWSLambdaException}). By default the role is not looked at.
   */
  default Future<String> invokeAs(String roleArn, String functionArnOrName, String payloadJson) {
    return invoke(functionArnOrName, payloadJson);
  }

  /**
   * As {@link #invokeAs(String, String, String)}, within the X-Ray trace of {@code traceHeader} (the execution's;
   * null: none), which Step Functions hands the function and a Lambda runner passes on to it. By default the header
   * is not looked at.
   */
  default Future<String> invokeAs(String roleArn, String functionArnOrName, String payloadJson, String traceHeader) {
    return invokeAs(roleArn, functionArnOrName, payloadJson);
  }

  /**
   * The error a function failure becomes: named by the function's error type, with Lambda's error payload as cause,
   * as Step Functions reports function errors.
   */
  static StatesError functionError(String errorType, String errorMessage) {
    ObjectNode payload = Json.object().put("errorMessage", errorMessage).put("errorType", errorType);
    payload.putArray("stackTrace");
    return new StatesError(errorType, Json.write(payload));
  }

  /** An invoker for stacks without Lambda: every call fails with a clear error. */
  static LambdaInvoker none() {
    return (function, payload) -> Future.failedFuture(new StatesError("Lambda.ResourceNotFoundException",
        "No Lambda runner is configured; function " + function + " cannot be invoked"));
  }
}
