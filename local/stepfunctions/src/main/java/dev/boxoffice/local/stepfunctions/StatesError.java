package dev.boxoffice.local.stepfunctions;

/**
 * An ASL runtime error as a state machine sees it: the error name that Retry and Catch match on, and its cause.
 * It carries no stack trace because it is control flow, raised thousands of times under load.
 */
public final class StatesError extends RuntimeException {

  public static final String ALL = "States.ALL";
  public static final String RUNTIME = "States.Runtime";
  public static final String TASK_FAILED = "States.TaskFailed";
  public static final String TIMEOUT = "States.Timeout";
  public static final String HEARTBEAT_TIMEOUT = "States.HeartbeatTimeout";
  public static final String INTRINSIC_FAILURE = "States.IntrinsicFailure";
  public static final String QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";
  public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
  public static final String RESULT_PATH_MATCH_FAILURE = "States.ResultPathMatchFailure";
  public static final String PARAMETER_PATH_FAILURE = "States.ParameterPathFailure";
  public static final String EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold";
  public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";

  private final String error;
  private final String errorCause;

  public StatesError(String error, String cause) {
    super(error + (cause == null ? "" : ": " + cause), null, false, false);
    this.error = error;
    this.errorCause = cause;
  }

  public String error() {
    return error;
  }

  public String cause() {
    return errorCause;
  }

  /** Whether a Retry or Catch clause naming {@code errorEquals} handles this error. */
  public boolean matches(String errorEquals) {
    if (ALL.equals(errorEquals)) {
      return !RUNTIME.equals(error) && !DATA_LIMIT_EXCEEDED.equals(error);
    }
    return errorEquals.equals(error);
  }
}
