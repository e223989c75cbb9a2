package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.awscore.AwsRequest;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.protocol.MarshallingType;
import software.amazon.awssdk.core.traits.ListTrait;
import software.amazon.awssdk.core.traits.MapTrait;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.utils.builder.SdkBuilder;

/**
 * The SNS and DynamoDB Task integrations: ASL parameters (the API's PascalCase members) become AWS SDK v2 requests
 * through the SDK's own field model, calls run on worker threads, and responses come back as JSON the same way. Each
 * state machine's calls are signed with its role's credentials, through clients kept per role. The SDK's own retries
 * are off: as in AWS, a throttled or failed call fails the task, and the state's Retry decides.
 */
final class AwsServiceIntegrations implements AutoCloseable {

  private final Vertx vertx;
  private final StepFunctionsConfig config;
  private final Map<String, SnsClient> snsByRole = new ConcurrentHashMap<>();
  private final Map<String, DynamoDbClient> dynamoDbByRole = new ConcurrentHashMap<>();

  AwsServiceIntegrations(Vertx vertx, StepFunctionsConfig config) {
    this.vertx = vertx;
    this.config = config;
  }

  /**
   * Calls {@code action} of {@code service} ("sns" or "dynamodb") as the state machine role {@code roleArn}.
   *
   * @param sdkIntegration true for {@code aws-sdk:*} resources, whose error names AWS spells differently
   */
  Future<JsonNode> call(String roleArn, String service, String action, JsonNode parameters,
                        boolean sdkIntegration) {
    return vertx.executeBlocking(() -> {
      Object client = "sns".equals(service) ? sns(roleArn) : dynamoDb(roleArn);
      Method method = operation(client, action);
      Object request = toRequest(method.getParameterTypes()[0], parameters, service, action);
      try {
        Object response = method.invoke(client, request);
        return toJson(response);
      } catch (InvocationTargetException e) {
        throw translate(e.getCause(), service, sdkIntegration);
      } catch (IllegalAccessException e) {
        throw new StatesError(StatesError.RUNTIME, "Cannot call " + service + ":" + action);
      }
    }, false);
  }

  private SnsClient sns(String roleArn) {
    return snsByRole.computeIfAbsent(roleArn, role -> {
      var builder = SnsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
          .credentialsProvider(config.roleCredentials().forRole(role)).region(Region.of(config.region()))
          .overrideConfiguration(override -> override.retryStrategy(retry -> retry.maxAttempts(1)));
      if (config.snsEndpoint() != null) {
        builder.endpointOverride(config.snsEndpoint());
      }
      return builder.build();
    });
  }

  private DynamoDbClient dynamoDb(String roleArn) {
    return dynamoDbByRole.computeIfAbsent(roleArn, role -> {
      var builder = DynamoDbClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder())
          .credentialsProvider(config.roleCredentials().forRole(role)).region(Region.of(config.region()))
          .overrideConfiguration(override -> override.retryStrategy(retry -> retry.maxAttempts(1)));
      if (config.dynamoDbEndpoint() != null) {
        builder.endpointOverride(config.dynamoDbEndpoint());
      }
      return builder.build();
    });
  }

  private static Method operation(Object client, String action) {
    Class<?> api = client instanceof SnsClient ? SnsClient.class : DynamoDbClient.class;
    for (Method method : api.getMethods()) {
      if (method.getName().equals(action) && method.getParameterCount() == 1
          && AwsRequest.class.isAssignableFrom(method.getParameterTypes()[0])) {
        return method;
      }
    }
    throw new StatesError(StatesError.RUNTIME, "Unsupported action " + action + " of "
        + api.getSimpleName().replace("Client", ""));
  }

  private static Object toRequest(Class<?> requestType, JsonNode parameters, String service, String action) {
    try {
      SdkPojo builder = (SdkPojo) requestType.getMethod("builder").invoke(null);
      fill(builder, parameters, service + ":" + action);
      return ((SdkBuilder<?, ?>) builder).build();
    } catch (ReflectiveOperationException e) {
      throw new StatesError(StatesError.RUNTIME, "Cannot build the request of " + service + ":" + action);
    }
  }

  private static void fill(SdkPojo builder, JsonNode parameters, String where) {
    if (!parameters.isObject()) {
      throw new StatesError(StatesError.RUNTIME, "The parameters of " + where + " must be an object");
    }
    Map<String, SdkField<?>> fields = new LinkedHashMap<>();
    for (SdkField<?> field : builder.sdkFields()) {
      fields.put(field.memberName(), field);
    }
    Iterator<Map.Entry<String, JsonNode>> entries = parameters.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      SdkField<?> field = fields.get(entry.getKey());
      if (field == null) {
        throw new StatesError(StatesError.RUNTIME, "The field '" + entry.getKey() + "' is not supported by "
            + where);
      }
      field.set(builder, toSdkValue(field, entry.getValue(), where));
    }
  }

  private static Object toSdkValue(SdkField<?> field, JsonNode value, String where) {
    if (value.isNull()) {
      return null;
    }
    MarshallingType<?> type = field.marshallingType();
    if (type == MarshallingType.STRING) {
      return value.isTextual() ? value.textValue() : Json.write(value);
    }
    if (type == MarshallingType.INTEGER) {
      return value.asInt();
    }
    if (type == MarshallingType.LONG) {
      return value.asLong();
    }
    if (type == MarshallingType.DOUBLE) {
      return value.asDouble();
    }
    if (type == MarshallingType.FLOAT) {
      return (float) value.asDouble();
    }
    if (type == MarshallingType.BIG_DECIMAL) {
      return new BigDecimal(value.asText());
    }
    if (type == MarshallingType.BOOLEAN) {
      return value.asBoolean();
    }
    if (type == MarshallingType.SDK_BYTES) {
      return SdkBytes.fromByteArray(Base64.getDecoder().decode(value.asText()));
    }
    if (type == MarshallingType.INSTANT) {
      return value.isNumber() ? Instant.ofEpochMilli((long) (value.asDouble() * 1000)) : Instant.parse(value.asText());
    }
    if (type == MarshallingType.LIST) {
      SdkField<?> member = field.getTrait(ListTrait.class).memberFieldInfo();
      List<Object> list = new ArrayList<>();
      for (JsonNode element : value) {
        list.add(toSdkValue(member, element, where));
      }
      return list;
    }
    if (type == MarshallingType.MAP) {
      SdkField<?> member = field.getTrait(MapTrait.class).valueFieldInfo();
      Map<String, Object> map = new LinkedHashMap<>();
      value.fields().forEachRemaining(entry -> map.put(entry.getKey(), toSdkValue(member, entry.getValue(), where)));
      return map;
    }
    if (type == MarshallingType.SDK_POJO) {
      SdkPojo nested = field.constructor().get();
      fill(nested, value, where);
      return ((SdkBuilder<?, ?>) nested).build();
    }
    throw new StatesError(StatesError.RUNTIME, "The field '" + field.memberName() + "' of " + where
        + " has a type the local integration does not convert");
  }

  static JsonNode toJson(Object value) {
    if (value == null) {
      return Json.NODES.nullNode();
    }
    if (value instanceof SdkPojo pojo) {
      ObjectNode object = Json.object();
      for (SdkField<?> field : pojo.sdkFields()) {
        Object member = field.getValueOrDefault(pojo);
        boolean unset = member instanceof SdkAutoConstructList<?> || member instanceof SdkAutoConstructMap<?, ?>;
        if (member == null || unset) {
          continue;
        }
        object.set(field.memberName(), toJson(member));
      }
      return object;
    }
    if (value instanceof List<?> list) {
      ArrayNode array = Json.NODES.arrayNode();
      list.forEach(element -> array.add(toJson(element)));
      return array;
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = Json.object();
      map.forEach((key, element) -> object.set(String.valueOf(key), toJson(element)));
      return object;
    }
    if (value instanceof String text) {
      return Json.NODES.textNode(text);
    }
    if (value instanceof Boolean bool) {
      return Json.NODES.booleanNode(bool);
    }
    if (value instanceof Integer || value instanceof Long) {
      return Json.integer(((Number) value).longValue());
    }
    if (value instanceof Number number) {
      return Json.NODES.numberNode(new BigDecimal(number.toString()));
    }
    if (value instanceof SdkBytes bytes) {
      return Json.NODES.textNode(Base64.getEncoder().encodeToString(bytes.asByteArray()));
    }
    return Json.NODES.textNode(value.toString());
  }

  /**
   * A failed call as Step Functions reports it: the service's prefix and the exception's name ({@code
   * SNS.AuthorizationErrorException}, {@code DynamoDB.ConditionalCheckFailedException}; {@code Sns.}/{@code DynamoDb.}
   * for aws-sdk integrations), and the message with the service's details, as the AWS SDK for Java prints them.
   */
  private static StatesError translate(Throwable failure, String service, boolean sdkIntegration) {
    boolean sns = "sns".equals(service);
    String prefix = sdkIntegration ? (sns ? "Sns" : "DynamoDb") : (sns ? "SNS" : "DynamoDB");
    if (failure instanceof AwsServiceException aws) {
      String code = aws.awsErrorDetails() == null || aws.awsErrorDetails().errorCode() == null
          ? aws.getClass().getSimpleName() : aws.awsErrorDetails().errorCode();
      String message = aws.awsErrorDetails() == null ? aws.getMessage() : aws.awsErrorDetails().errorMessage();
      String name = code.endsWith("Exception") ? code : code + "Exception";
      return new StatesError(prefix + "." + name, message + " (Service: " + (sns ? "AmazonSNS" : "AmazonDynamoDBv2")
          + "; Status Code: " + aws.statusCode() + "; Error Code: " + code + "; Request ID: " + aws.requestId()
          + "; Proxy: null)");
    }
    if (failure instanceof SdkException sdk) {
      return new StatesError(prefix + ".SdkClientException", sdk.getMessage());
    }
    if (failure instanceof StatesError error) {
      return error;
    }
    return new StatesError(StatesError.TASK_FAILED, String.valueOf(failure.getMessage()));
  }

  @Override
  public void close() {
    snsByRole.values().forEach(SnsClient::close);
    dynamoDbByRole.values().forEach(DynamoDbClient::close);
  }
}
