package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.util.UUID;

/**
 * The context Lambda hands a handler, with a request id of its own and time to spare, for direct calls in tests;
 * {@code xrayTraceId} is the trace header the invocation runs in (null: none).
 */
record InvocationContext(String awsRequestId, String xrayTraceId) implements Context {

  static InvocationContext fresh() {
    return new InvocationContext(UUID.randomUUID().toString(), null);
  }

  /** An invocation within the X-Ray trace of {@code traceHeader}. */
  static InvocationContext traced(String traceHeader) {
    return new InvocationContext(UUID.randomUUID().toString(), traceHeader);
  }

  @Override
  public String getXrayTraceId() {
    return xrayTraceId;
  }

  @Override
  public String getAwsRequestId() {
    return awsRequestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/test";
  }

  @Override
  public String getLogStreamName() {
    return "test";
  }

  @Override
  public String getFunctionName() {
    return "test";
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return "arn:aws:lambda:us-east-1:000000000000:function:test";
  }

  @Override
  public CognitoIdentity getIdentity() {
    return null;
  }

  @Override
  public ClientContext getClientContext() {
    return null;
  }

  @Override
  public int getRemainingTimeInMillis() {
    return 60_000;
  }

  @Override
  public int getMemoryLimitInMB() {
    return 512;
  }

  @Override
  public LambdaLogger getLogger() {
    return null;
  }
}
