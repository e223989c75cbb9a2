package dev.boxoffice.lambdas;

/**
 * Input a state machine sent to a non-routed function that can never succeed; the function fails with this error
 * type ({@code dev.boxoffice.lambdas.InvalidInputException}) so the state machine's Catch can tell it from a transient
 * failure worth a Retry.
 */
public final class InvalidInputException extends RuntimeException {

  public InvalidInputException(String message) {
    super(message);
  }
}
