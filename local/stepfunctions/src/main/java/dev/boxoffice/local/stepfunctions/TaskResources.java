package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.util.UUID;

/**
 * The Task resources the engine supports: Lambda (optimised {@code lambda:invoke} and plain function ARNs) through
 * the {@link LambdaInvoker}, SNS and DynamoDB through {@link AwsServiceIntegrations}.
 */
final class TaskResources {

  static final String WAIT_FOR_TASK_TOKEN = ".waitForTaskToken";
  private static final String STATES_PREFIX = "arn:aws:states:::";

  private final LambdaInvoker lambda;
  private final AwsServiceIntegrations services;

  TaskResources(LambdaInvoker lambda, AwsServiceIntegrations services) {
    this.lambda = lambda;
    this.services = services;
  }

  /** A resource ARN split into what the engine needs to dispatch it. */
  record Resource(String arn, String kind, String action, boolean waitForTaskToken) {

    /** The history's resourceType: {@code lambda}, {@code sns}, {@code dynamodb}, {@code aws-sdk:sns}. */
    String resourceType() {
      return kind;
    }

    boolean isPlainLambda() {
      return "lambda-function".equals(kind);
    }
  }

  /** Splits a resource ARN; fails with a message when the engine does not support it. */
  static Resource parse(String arn) {
    String base = arn;
    boolean waitForToken = false;
    if (base.endsWith(WAIT_FOR_TASK_TOKEN)) {
      base = base.substring(0, base.length() - WAIT_FOR_TASK_TOKEN.length());
      waitForToken = true;
    } else if (base.endsWith(".sync") || base.endsWith(".sync:2")) {
      throw new IllegalArgumentException("The .sync integration pattern is not supported locally: " + arn);
    }
    if (base.matches("arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?")
        && !waitForToken) {
      return new Resource(arn, "lambda-function", base, false);
    }
    if (!base.startsWith(STATES_PREFIX)) {
      throw new IllegalArgumentException("Unsupported Task resource: " + arn);
    }
    String service = base.substring(STATES_PREFIX.length());
    if (service.equals("lambda:invoke")) {
      return new Resource(arn, "lambda", "invoke", waitForToken);
    }
    if (service.equals("sns:publish")) {
      return new Resource(arn, "sns", "publish", waitForToken);
    }
    if (service.matches("dynamodb:(putItem|getItem|updateItem|deleteItem)") && !waitForToken) {
      return new Resource(arn, "dynamodb", service.substring("dynamodb:".length()), false);
    }
    if (service.matches("aws-sdk:(sns|dynamodb):[a-zA-Z]+")) {
      String[] parts = service.split(":");
      return new Resource(arn, "aws-sdk:" + parts[1], parts[2], waitForToken);
    }
    throw new IllegalArgumentException("Unsupported Task resource: " + arn);
  }

  /**
   * Calls the resource as the state machine role {@code roleArn}, as Step Functions does in AWS; a Lambda function
   * gets the execution's {@code traceHeader} (null: none).
   */
  Future<JsonNode> invoke(String roleArn, Resource resource, JsonNode parameters, String traceHeader) {
    return switch (resource.kind()) {
      case "lambda-function" -> lambda.invokeAs(roleArn, resource.action(), Json.write(parameters), traceHeader)
          .map(Json::parse);
      case "lambda" -> invokeLambda(roleArn, parameters, traceHeader);
      case "sns" -> services.call(roleArn, "sns", resource.action(), parameters, false);
      case "dynamodb" -> services.call(roleArn, "dynamodb", resource.action(), parameters, false);
      case "aws-sdk:sns" -> services.call(roleArn, "sns", resource.action(), parameters, true);
      case "aws-sdk:dynamodb" -> services.call(roleArn, "dynamodb", resource.action(), parameters, true);
      default -> Future.failedFuture(new StatesError(StatesError.RUNTIME,
          "Unsupported Task resource: " + resource.arn()));
    };
  }

  private Future<JsonNode> invokeLambda(String roleArn, JsonNode parameters, String traceHeader) {
    JsonNode functionName = parameters.get("FunctionName");
    if (functionName == null || !functionName.isTextual()) {
      return Future.failedFuture(new StatesError(StatesError.RUNTIME,
          "The lambda:invoke integration needs a FunctionName string in its Parameters or Arguments"));
    }
    JsonNode payload = parameters.has("Payload") ? parameters.get("Payload") : Json.object();
    String payloadJson = payload.isTextual() ? payload.textValue() : Json.write(payload);
    return lambda.invokeAs(roleArn, functionName.textValue(), payloadJson, traceHeader).map(response -> {
      ObjectNode result = Json.object();
      result.put("ExecutedVersion", "$LATEST");
      result.set("Payload", Json.parse(response));
      ObjectNode metadata = result.putObject("SdkHttpMetadata");
      metadata.put("HttpStatusCode", 200);
      result.putObject("SdkResponseMetadata").put("RequestId", UUID.randomUUID().toString());
      result.put("StatusCode", 200);
      return result;
    });
  }
}
