package dev.boxoffice.local.aws.sns;

import dev.boxoffice.local.aws.UnreadableRequest;

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
