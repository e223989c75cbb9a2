package dev.boxoffice.local.cloud;

import dev.boxoffice.local.aws.iam.AuthenticationFailure;
import dev.boxoffice.local.aws.iam.Decision;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.iam.Principal;
import dev.boxoffice.local.aws.iam.SignatureV4;
import dev.boxoffice.local.stepfunctions.ApiAccess;
import dev.boxoffice.local.stepfunctions.StepFunctionsException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The local IAM in front of the Step Functions API: the request's signature names the caller, who must be allowed
 * {@code states:<Action>} on the state machine or execution, as AWS answers with its JSON errors.
 */
final class StepFunctionsAccess implements ApiAccess {

  private final LocalIam iam;
  private final SignatureV4 signatures;

  StepFunctionsAccess(LocalIam iam) {
    this.iam = iam;
    this.signatures = new SignatureV4(iam, "states");
  }

  @Override
  public void check(HttpServerRequest request, Buffer body, String action, String resourceArn) {
    Principal caller;
    try {
      caller = signatures.verify(request, body == null ? new byte[0] : body.getBytes());
    } catch (AuthenticationFailure failure) {
      throw new StepFunctionsException(switch (failure.reason()) {
        case MISSING -> "MissingAuthenticationTokenException";
        case MALFORMED -> "IncompleteSignatureException";
        case UNKNOWN_KEY -> "UnrecognizedClientException";
        case SIGNATURE_MISMATCH, EXPIRED, WRONG_SCOPE -> "InvalidSignatureException";
      }, failure.getMessage());
    }
    Decision decision = iam.authorize(caller, "states:" + action, resourceArn);
    if (!decision.allowed()) {
      throw new StepFunctionsException("AccessDeniedException", decision.message());
    }
  }
}
