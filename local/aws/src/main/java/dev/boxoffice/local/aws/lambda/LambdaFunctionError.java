package dev.boxoffice.local.aws.lambda;

/**
 * A failed invocation as Lambda reports it: the {@code errorType} (the exception class of the handler,
 * {@code Sandbox.Timedout} for a timeout, {@code ResourceNotFoundException} for an unknown function) and message.
 */
public class LambdaFunctionError extends RuntimeException {

  private final String errorType;

  public LambdaFunctionError(String errorType, String errorMessage, Throwable cause) {
    super(errorMessage, cause);
    this.errorType = errorType;
  }

  public String errorType() {
    return errorType;
  }

  public String errorMessage() {
    return getMessage();
  }
}
