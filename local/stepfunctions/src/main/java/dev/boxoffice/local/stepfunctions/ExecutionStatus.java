package dev.boxoffice.local.stepfunctions;

/** The statuses of an execution, spelled as the Step Functions API spells them. */
public enum ExecutionStatus {
  RUNNING, SUCCEEDED, FAILED, TIMED_OUT, ABORTED
}
