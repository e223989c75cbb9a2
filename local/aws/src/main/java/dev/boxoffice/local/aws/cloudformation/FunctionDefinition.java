package dev.boxoffice.local.aws.cloudformation;

import java.util.Map;

/**
 * An {@code AWS::Lambda::Function} resource with its intrinsics resolved.
 *
 * @param handler {@code com.example.Handler::handleRequest} or {@code com.example.Handler}
 * @param environment the {@code Environment.Variables} of the function
 */
public record FunctionDefinition(
    String logicalId,
    String functionName,
    String handler,
    int timeoutSeconds,
    int memorySizeMb,
    Map<String, String> environment) {

  public String arn(String region) {
    return "arn:aws:lambda:" + region + ":" + CloudFormationIntrinsics.ACCOUNT_ID + ":function:" + functionName;
  }
}
