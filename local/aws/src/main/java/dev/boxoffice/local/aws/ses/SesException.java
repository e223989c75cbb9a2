package dev.boxoffice.local.aws.ses;

import dev.boxoffice.local.aws.iam.AuthenticationFailure;

import io.vertx.core.json.JsonObject;

/**
 * An SES v2 error as AWS answers it in the REST-JSON protocol: an HTTP status, the error type in
 * {@code x-amzn-ErrorType} (the SDK maps it to its exception class, MessageRejected to MessageRejectedException...)
 * and {@code {"message": ...}}.
 */
final class SesException extends RuntimeException {

  private final int status;
  private final String type;

  private SesException(int status, String type, String message) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
  }

  static SesException badRequest(String message) {
    return new SesException(400, "BadRequestException", message);
  }

  static SesException messageRejected(String message) {
    return new SesException(400, "MessageRejected", message);
  }

  static SesException notFound(String message) {
    return new SesException(404, "NotFoundException", message);
  }

  static SesException alreadyExists(String message) {
    return new SesException(400, "AlreadyExistsException", message);
  }

  static SesException tooManyRequests(String message) {
    return new SesException(429, "TooManyRequestsException", message);
  }

  static SesException limitExceeded(String message) {
    return new SesException(400, "LimitExceededException", message);
  }

  static SesException unrecognizedClient() {
    return new SesException(403, "UnrecognizedClientException",
        "The security token included in the request is invalid.");
  }

  /** A call the caller's policies do not allow, with AWS's sentence. */
  static SesException accessDenied(String message) {
    return new SesException(403, "AccessDeniedException", message);
  }

  /** A request whose signature identifies no known caller, coded as SES's REST API codes it. */
  static SesException notAuthenticated(AuthenticationFailure failure) {
    return switch (failure.reason()) {
      case MISSING -> missingAuthentication();
      case MALFORMED -> new SesException(400, "IncompleteSignatureException", failure.getMessage());
      case UNKNOWN_KEY -> new SesException(403, "UnrecognizedClientException", failure.getMessage());
      case SIGNATURE_MISMATCH, EXPIRED, WRONG_SCOPE ->
          new SesException(403, "InvalidSignatureException", failure.getMessage());
    };
  }

  static SesException missingAuthentication() {
    return new SesException(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
  }

  static SesException unknownOperation(String method, String path) {
    return new SesException(404, "UnknownOperationException",
        "The local SES implements the operations Boxoffice uses, not " + method + " " + path + ".");
  }

  static SesException tooLarge(String message) {
    return new SesException(413, "RequestEntityTooLargeException", message);
  }

  static SesException internalError() {
    return new SesException(500, "InternalFailure", "The local SES failed to process the request.");
  }

  int status() {
    return status;
  }

  String type() {
    return type;
  }

  JsonObject body() {
    return new JsonObject().put("message", getMessage());
  }
}
