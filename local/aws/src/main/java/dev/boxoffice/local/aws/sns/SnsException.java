package dev.boxoffice.local.aws.sns;

import dev.boxoffice.local.aws.UnreadableRequest;
import dev.boxoffice.local.aws.iam.AuthenticationFailure;

/**
 * An SNS error as AWS reports it: HTTP status, fault type and the error code the SDKs map to an exception class
 * (InvalidParameter to InvalidParameterException, ParameterValueInvalid to InvalidParameterValueException, ...).
 */
final class SnsException extends RuntimeException {

  private final int status;
  private final String type;
  private final String code;

  private SnsException(int status, String type, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
  }

  static SnsException invalidParameter(String message) {
    return new SnsException(400, "Sender", "InvalidParameter", "Invalid parameter: " + message);
  }

  static SnsException invalidParameterValue(String message) {
    return new SnsException(400, "Sender", "ParameterValueInvalid", message);
  }

  static SnsException notFound(String message) {
    return new SnsException(404, "Sender", "NotFound", message);
  }

  /** A PublishBatch refused as a whole, with the batch error code AWS answers (EmptyBatchRequest...). */
  static SnsException batchRefused(String code, String message) {
    return new SnsException(400, "Sender", code, message);
  }

  static SnsException missingAction() {
    return new SnsException(400, "Sender", "MissingAction", "The request must contain the parameter Action.");
  }

  static SnsException invalidAction(String action) {
    return new SnsException(400, "Sender", "InvalidAction",
        "The action " + action + " is not valid for this endpoint "
            + "(the local SNS implements the actions Boxoffice uses).");
  }

  static SnsException methodNotAllowed(String method) {
    return new SnsException(405, "Sender", "MethodNotAllowed", "The SNS query protocol takes a form POST or a GET "
        + "with a query string, not " + method + ".");
  }

  static SnsException malformedQueryString(String message) {
    return new SnsException(400, "Sender", "MalformedQueryString", message);
  }

  /** A request line or header section the parser refused, named after the HTTP condition. */
  static SnsException unreadable(UnreadableRequest why) {
    return new SnsException(why.status(), "Sender", why.reason().replace(" ", "").replace("-", ""), why.message());
  }

  /** A Publish beyond the account's rate; the SDKs retry it with backoff. */
  static SnsException throttled() {
    return new SnsException(429, "Sender", "Throttled", "Rate exceeded");
  }

  static SnsException filterPolicyLimitExceeded(String which) {
    return new SnsException(403, "Sender", "FilterPolicyLimitExceeded", "Filter policy limit exceeded: " + which);
  }

  /** A call the caller's policies do not allow, with AWS's sentence. */
  static SnsException authorizationError(String message) {
    return new SnsException(403, "Sender", "AuthorizationError", message);
  }

  /** A request whose signature identifies no known caller, coded as SNS codes it. */
  static SnsException notAuthenticated(AuthenticationFailure failure) {
    return switch (failure.reason()) {
      case MISSING -> new SnsException(403, "Sender", "MissingAuthenticationToken", "Request is missing "
          + "Authentication Token");
      case MALFORMED -> new SnsException(400, "Sender", "IncompleteSignature", failure.getMessage());
      case UNKNOWN_KEY -> new SnsException(403, "Sender", "InvalidClientTokenId", failure.getMessage());
      case SIGNATURE_MISMATCH, EXPIRED, WRONG_SCOPE ->
          new SnsException(403, "Sender", "SignatureDoesNotMatch", failure.getMessage());
    };
  }

  static SnsException internalError() {
    return new SnsException(500, "Receiver", "InternalError", "The local SNS failed to process the request.");
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  String code() {
    return code;
  }
}
