package dev.boxoffice.local.aws.lambda;

/**
 * A refusal of the Lambda service itself, before or instead of running the function: an unknown function (404
 * {@code ResourceNotFoundException}), a caller without {@code lambda:InvokeFunction} (403
 * {@code AccessDeniedException}) or an invocation beyond the concurrency limits (429 {@code TooManyRequestsException}
 * with its {@code Reason}). Callers see these as service errors, not as function errors.
 */
public final class LambdaServiceError extends LambdaFunctionError {

  private final int statusCode;
  private final String reason;

  private LambdaServiceError(int statusCode, String errorCode, String reason, String message) {
    super(errorCode, message, null);
    this.statusCode = statusCode;
    this.reason = reason;
  }

  public static LambdaServiceError notFound(String functionArn) {
    return new LambdaServiceError(404, "ResourceNotFoundException", null, "Function not found: " + functionArn);
  }

  public static LambdaServiceError accessDenied(String message) {
    return new LambdaServiceError(403, "AccessDeniedException", null, message);
  }

  /** A throttle, with the reason Lambda gives: {@code ReservedFunctionConcurrentInvocationLimitExceeded}... */
  static LambdaServiceError tooManyRequests(String reason) {
    return new LambdaServiceError(429, "TooManyRequestsException", reason, "Rate Exceeded.");
  }

  public int statusCode() {
    return statusCode;
  }

  /** The {@code Reason} of a TooManyRequestsException; null for other errors. */
  public String reason() {
    return reason;
  }

  /** The error as the AWS SDK for Java prints a service exception, which Step Functions reports as its cause. */
  public String sdkMessage(String requestId) {
    return errorMessage() + " (Service: AWSLambda; Status Code: " + statusCode + "; Error Code: " + errorType()
        + "; Request ID: " + requestId + "; Proxy: null)";
  }
}
