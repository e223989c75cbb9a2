package dev.boxoffice.local.stepfunctions;

/**
 * A Step Functions API error: the AWS error code ({@code StateMachineDoesNotExist}, {@code InvalidArn}, ...) that the
 * HTTP API returns as {@code __type}, always a client error.
 */
public final class StepFunctionsException extends RuntimeException {

  private final String code;

  public StepFunctionsException(String code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
