package dev.boxoffice.local.aws.cloudformation;

import java.util.Map;
import java.util.OptionalInt;

/**
 * An {@code AWS::Lambda::Function} resource with its intrinsics resolved.
 *
 * @param handler {@code com.example.Handler::handleRequest} or {@code com.example.Handler}
 * @param environment the {@code Environment.Variables} of the function
 * @param roleArn the execution role's ARN; null for a function built in code without one
 * @param reservedConcurrentExecutions the function's {@code ReservedConcurrentExecutions}; null when it has none
 */
public record FunctionDefinition(
    String logicalId,
    String functionName,
    String handler,
    int timeoutSeconds,
    int memorySizeMb,
    Map<String, String> environment,
    String roleArn,
    Integer reservedConcurrentExecutions) {

  /** A function without a role or reserved concurrency, as tests define one in code. */
  public FunctionDefinition(String logicalId, String functionName, String handler, int timeoutSeconds,
                            int memorySizeMb, Map<String, String> environment) {
    this(logicalId, functionName, handler, timeoutSeconds, memorySizeMb, environment, null, null);
  }

  public String arn(String region) {
    return "arn:aws:lambda:" + region + ":" + CloudFormationIntrinsics.ACCOUNT_ID + ":function:" + functionName;
  }

  public OptionalInt reservedConcurrency() {
    return reservedConcurrentExecutions == null ? OptionalInt.empty() : OptionalInt.of(reservedConcurrentExecutions);
  }
}
