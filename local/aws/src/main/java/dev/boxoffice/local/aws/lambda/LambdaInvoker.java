package dev.boxoffice.local.aws.lambda;

import io.vertx.core.Future;

/**
 * Invokes a Lambda function of the local stack by name or ARN, the way SNS lambda subscriptions and Step Functions
 * task states do: the payload is the event JSON, the result is the handler's response serialised as JSON.
 */
public interface LambdaInvoker {

  Future<String> invoke(String functionNameOrArn, String payloadJson);
}
