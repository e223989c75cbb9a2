package dev.boxoffice.local.cloud;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.iam.Decision;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.lambda.LambdaFunctionError;
import dev.boxoffice.local.aws.lambda.LambdaRunner;
import dev.boxoffice.local.aws.lambda.LambdaServiceError;
import dev.boxoffice.local.stepfunctions.LambdaInvoker;
import dev.boxoffice.local.stepfunctions.StatesError;
import io.vertx.core.Future;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * Step Functions' Lambda tasks over the local Lambda runner, with the errors AWS reports: a state machine role
 * without {@code lambda:InvokeFunction} on the function gets {@code Lambda.AWSLambdaException} (Lambda's
 * AccessDeniedException, which Step Functions' SDK does not model), a throttle {@code Lambda.TooManyRequestsException},
 * an unknown function {@code Lambda.ResourceNotFoundException}, each with the cause the AWS SDK for Java prints; a
 * function's own error is named by its error type.
 */
public final class LambdaTasks implements LambdaInvoker {

  private final LambdaRunner runner;
  private final LocalIam iam;

  public LambdaTasks(LambdaRunner runner, LocalIam iam) {
    this.runner = runner;
    this.iam = iam;
  }

  @Override
  public Future<String> invoke(String functionArnOrName, String payloadJson) {
    return runner.invoke(functionArnOrName, payloadJson).recover(LambdaTasks::asStatesError);
  }

  @Override
  public Future<String> invokeAs(String roleArn, String functionArnOrName, String payloadJson) {
    return invokeAs(roleArn, functionArnOrName, payloadJson, null);
  }

  @Override
  public Future<String> invokeAs(String roleArn, String functionArnOrName, String payloadJson, String traceHeader) {
    String functionArn;
    try {
      functionArn = functionArnOrName.startsWith("arn:") ? functionArnOrName
          : runner.function(functionArnOrName).arn(LocalCredentials.REGION);
    } catch (NoSuchElementException unknown) {
      return asStatesError(LambdaServiceError.notFound(functionArnOrName));
    }
    Decision decision;
    try {
      decision = iam.authorize(iam.session(roleArn), "lambda:InvokeFunction", functionArn);
    } catch (NoSuchElementException unknownRole) {
      return Future.failedFuture(new StatesError("Lambda.AWSLambdaException", unknownRole.getMessage()));
    }
    if (!decision.allowed()) {
      return asStatesError(LambdaServiceError.accessDenied(decision.message()));
    }
    return runner.invoke(functionArnOrName, payloadJson, traceHeader).recover(LambdaTasks::asStatesError);
  }

  private static Future<String> asStatesError(Throwable failure) {
    if (failure instanceof LambdaServiceError service) {
      String name = service.statusCode() == 403 ? "AWSLambdaException" : service.errorType();
      return Future.failedFuture(new StatesError("Lambda." + name,
          service.sdkMessage(UUID.randomUUID().toString())));
    }
    if (failure instanceof LambdaFunctionError error) {
      return Future.failedFuture(LambdaInvoker.functionError(error.errorType(), error.errorMessage()));
    }
    return Future.failedFuture(new StatesError("Lambda.ServiceException", String.valueOf(failure.getMessage())));
  }
}
