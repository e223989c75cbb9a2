package dev.boxoffice.local.stepfunctions;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The check the API makes before an action runs: who signed the request and whether that caller may perform the
 * action on the resource. The local stack plugs its IAM in here; on its own the engine lets every caller through.
 */
@FunctionalInterface
public interface ApiAccess {

  /**
   * Refuses a request by throwing a {@link StepFunctionsException} with AWS's code ({@code AccessDeniedException},
   * {@code UnrecognizedClientException}, {@code InvalidSignatureException}...).
   *
   * @param action the API action, e.g. {@code StartExecution}
   * @param resourceArn the state machine, execution or other resource the action concerns; {@code *} for actions on
   *     the account
   */
  void check(HttpServerRequest request, Buffer body, String action, String resourceArn);

  /** Every caller may call every action: the engine on its own, as its tests use it. */
  static ApiAccess open() {
    return (request, body, action, resourceArn) -> { };
  }
}
