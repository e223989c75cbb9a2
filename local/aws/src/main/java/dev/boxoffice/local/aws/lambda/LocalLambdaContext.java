package dev.boxoffice.local.aws.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.cloudformation.FunctionDefinition;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lambda {@link Context} of one local invocation; the remaining time counts down to the function's Timeout. Its
 * X-Ray trace header is what AWS's Java runtime hands a function (from the runtime API's
 * {@code Lambda-Runtime-Trace-Id}); AWS's runtime also sets the system property
 * {@code com.amazonaws.xray.traceHeader}, which cannot be per invocation here, where functions share one JVM.
 */
final class LocalLambdaContext implements Context {

  private final FunctionDefinition function;
  private final long deadlineMillis;
  private final String requestId = UUID.randomUUID().toString();
  private final Logger logger;
  private final String traceHeader;

  LocalLambdaContext(FunctionDefinition function, long deadlineMillis, String traceHeader) {
    this.function = function;
    this.deadlineMillis = deadlineMillis;
    this.traceHeader = traceHeader;
    this.logger = LoggerFactory.getLogger("lambda." + function.functionName());
  }

  @Override
  public String getAwsRequestId() {
    return requestId;
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/" + function.functionName();
  }

  @Override
  public String getLogStreamName() {
    return "local/[$LATEST]" + requestId;
  }

  @Override
  public String getFunctionName() {
    return function.functionName();
  }

  @Override
  public String getFunctionVersion() {
    return "$LATEST";
  }

  @Override
  public String getInvokedFunctionArn() {
    return function.arn(LocalCredentials.REGION);
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
    return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
  }

  @Override
  public int getMemoryLimitInMB() {
    return function.memorySizeMb();
  }

  @Override
  public String getXrayTraceId() {
    return traceHeader;
  }

  @Override
  public LambdaLogger getLogger() {
    return new LambdaLogger() {
      @Override
      public void log(String message) {
        logger.info(message.stripTrailing());
      }

      @Override
      public void log(byte[] message) {
        log(new String(message, StandardCharsets.UTF_8));
      }
    };
  }
}
