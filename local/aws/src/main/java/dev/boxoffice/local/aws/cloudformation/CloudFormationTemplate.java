package dev.boxoffice.local.aws.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The serverless CloudFormation template read once and shared by the table creator and the API Gateway router, so
 * the local stack never keeps a second hand-written copy of tables, functions or routes.
 */
public final class CloudFormationTemplate {

  public static final String DEFAULT_STACK_NAME = "boxoffice";
  public static final String REGION = "us-east-1";
  public static final String ACCOUNT_ID = CloudFormationIntrinsics.ACCOUNT_ID;

  private final Path file;
  private final JsonNode root;
  private final CloudFormationIntrinsics intrinsics;

  private CloudFormationTemplate(Path file, JsonNode root, Map<String, String> parameterOverrides, String stackName) {
    this.file = file;
    this.root = root;
    if (!root.path("Resources").isObject()) {
      throw new TemplateException("template " + file + " has no Resources section");
    }
    this.intrinsics = new CloudFormationIntrinsics(root, parameterOverrides, stackName, REGION);
  }

  public static CloudFormationTemplate load(Path file) {
    return load(file, Map.of(), DEFAULT_STACK_NAME);
  }

  public static CloudFormationTemplate load(Path file, Map<String, String> parameterOverrides, String stackName) {
    return new CloudFormationTemplate(file, CloudFormationYaml.read(file), parameterOverrides, stackName);
  }

  public Path file() {
    return file;
  }

  public String stackName() {
    return intrinsics.stackName();
  }

  /** Logical ids of the resources of that type whose {@code Condition} (if any) holds, in template order. */
  public List<String> resourceIdsOfType(String type) {
    List<String> ids = new ArrayList<>();
    root.path("Resources").properties().forEach(resource -> {
      JsonNode definition = resource.getValue();
      boolean included = !definition.has("Condition") || intrinsics.condition(definition.get("Condition").asText());
      if (definition.path("Type").asText().equals(type) && included) {
        ids.add(resource.getKey());
      }
    });
    return ids;
  }

  /** The {@code Properties} of a resource with every intrinsic function evaluated. */
  public JsonNode resolvedProperties(String logicalId) {
    JsonNode resolved = intrinsics.resolve(properties(logicalId));
    return resolved == null ? JsonNodeFactory.instance.objectNode() : resolved;
  }

  /**
   * Only the named properties of a resource, evaluated; the others are left alone, so a parameter without a default
   * that only deployment needs (a code bucket, a KMS key, a role) does not stop the local stack.
   */
  public JsonNode resolvedProperties(String logicalId, String... names) {
    JsonNode properties = properties(logicalId);
    ObjectNode resolved = JsonNodeFactory.instance.objectNode();
    for (String name : names) {
      JsonNode value = intrinsics.resolve(properties.get(name));
      if (value != null) {
        resolved.set(name, value);
      }
    }
    return resolved;
  }

  /** A property of a resource as written, intrinsic functions unevaluated; a missing node if it has none. */
  public JsonNode rawProperty(String logicalId, String name) {
    return properties(logicalId).path(name);
  }

  /** What {@code Ref} to the resource or parameter {@code logicalId} evaluates to. */
  public String ref(String logicalId) {
    return intrinsics.resolveText(JsonNodeFactory.instance.objectNode().put("Ref", logicalId), "Ref " + logicalId);
  }

  /** The value of the template's output {@code name}, evaluated. */
  public String outputValue(String name) {
    JsonNode output = root.path("Outputs").get(name);
    if (output == null) {
      throw new TemplateException("no output " + name + " in " + file);
    }
    return intrinsics.resolveText(output.get("Value"), "output " + name);
  }

  private JsonNode properties(String logicalId) {
    JsonNode resource = root.path("Resources").get(logicalId);
    if (resource == null) {
      throw new TemplateException("no resource " + logicalId + " in " + file);
    }
    return resource.path("Properties");
  }

  public List<TableDefinition> tables() {
    List<TableDefinition> tables = new ArrayList<>();
    for (String logicalId : resourceIdsOfType("AWS::DynamoDB::Table")) {
      JsonNode properties = resolvedProperties(logicalId,
          "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "TimeToLiveSpecification");
      Map<String, String> attributeTypes = new LinkedHashMap<>();
      properties.path("AttributeDefinitions").forEach(attribute ->
          attributeTypes.put(attribute.path("AttributeName").asText(), attribute.path("AttributeType").asText()));
      List<GlobalIndex> indexes = new ArrayList<>();
      properties.path("GlobalSecondaryIndexes").forEach(index -> {
        List<String> nonKeyAttributes = new ArrayList<>();
        index.path("Projection").path("NonKeyAttributes").forEach(name -> nonKeyAttributes.add(name.asText()));
        indexes.add(new GlobalIndex(
            index.path("IndexName").asText(),
            keySchema(logicalId, index.path("KeySchema")),
            index.path("Projection").path("ProjectionType").asText("ALL"),
            nonKeyAttributes));
      });
      JsonNode ttl = properties.path("TimeToLiveSpecification");
      Optional<String> ttlAttribute = ttl.path("Enabled").asBoolean(false)
          ? Optional.of(ttl.path("AttributeName").asText())
          : Optional.empty();
      tables.add(new TableDefinition(logicalId, intrinsics.physicalId(logicalId), attributeTypes,
          keySchema(logicalId, properties.path("KeySchema")), indexes, ttlAttribute));
    }
    return tables;
  }

  public Map<String, FunctionDefinition> functionsByName() {
    Map<String, FunctionDefinition> functions = new LinkedHashMap<>();
    for (String logicalId : resourceIdsOfType("AWS::Lambda::Function")) {
      JsonNode properties = resolvedProperties(logicalId, "Handler", "Timeout", "MemorySize", "Environment",
          "ReservedConcurrentExecutions");
      Map<String, String> environment = new LinkedHashMap<>();
      properties.path("Environment").path("Variables").properties()
          .forEach(variable -> environment.put(variable.getKey(), variable.getValue().asText()));
      String handler = properties.path("Handler").asText();
      if (handler.isBlank()) {
        throw new TemplateException(logicalId + " has no Handler");
      }
      JsonNode reserved = properties.get("ReservedConcurrentExecutions");
      FunctionDefinition function = new FunctionDefinition(logicalId, intrinsics.physicalId(logicalId), handler,
          properties.path("Timeout").asInt(3), properties.path("MemorySize").asInt(128), environment,
          roleArnOf(logicalId), reserved == null ? null : reserved.asInt());
      functions.put(function.functionName(), function);
    }
    return functions;
  }

  /** The event source mappings that read SQS queues (Lambda's other event sources are not used here). */
  public List<EventSourceMappingDefinition> queueEventSourceMappings() {
    List<EventSourceMappingDefinition> mappings = new ArrayList<>();
    for (String logicalId : resourceIdsOfType("AWS::Lambda::EventSourceMapping")) {
      JsonNode properties = resolvedProperties(logicalId, "EventSourceArn", "FunctionName", "BatchSize",
          "MaximumBatchingWindowInSeconds", "FunctionResponseTypes", "ScalingConfig", "Enabled");
      String source = properties.path("EventSourceArn").asText();
      if (!source.startsWith("arn:aws:sqs:")) {
        continue;
      }
      String function = properties.path("FunctionName").asText();
      boolean reportFailures = false;
      for (JsonNode type : properties.path("FunctionResponseTypes")) {
        reportFailures |= type.asText().equals("ReportBatchItemFailures");
      }
      mappings.add(new EventSourceMappingDefinition(logicalId, source,
          function.substring(function.lastIndexOf(':') + 1),
          properties.path("BatchSize").asInt(10),
          properties.path("MaximumBatchingWindowInSeconds").asInt(0),
          reportFailures,
          properties.path("ScalingConfig").path("MaximumConcurrency").asInt(0),
          properties.path("Enabled").asBoolean(true)));
    }
    return mappings;
  }

  /** The value of a parameter: the override given at load, else its Default. */
  public String parameterValue(String name) {
    JsonNode value = intrinsics.resolve(JsonNodeFactory.instance.objectNode().put("Ref", name));
    if (value == null || value.isNull()) {
      throw new TemplateException("parameter " + name + " has no value");
    }
    return value.asText();
  }

  /**
   * A function's execution role, when the template says which: a role imported from elsewhere
   * ({@code Fn::ImportValue}) is a deployment's business, and the local stack knows no policy of it.
   */
  private String roleArnOf(String functionLogicalId) {
    try {
      return resolvedProperties(functionLogicalId, "Role").path("Role").asText(null);
    } catch (TemplateException roleFromElsewhere) {
      return null;
    }
  }

  public List<RestApiDefinition> restApis() {
    return new ApiRoutes(this).restApis();
  }

  private static KeySchema keySchema(String logicalId, JsonNode keySchema) {
    String partitionKey = null;
    String sortKey = null;
    for (JsonNode key : keySchema) {
      switch (key.path("KeyType").asText()) {
        case "HASH" -> partitionKey = key.path("AttributeName").asText();
        case "RANGE" -> sortKey = key.path("AttributeName").asText();
        default -> throw new TemplateException(logicalId + ": KeyType must be HASH or RANGE");
      }
    }
    if (partitionKey == null) {
      throw new TemplateException(logicalId + ": KeySchema has no HASH key");
    }
    return new KeySchema(partitionKey, Optional.ofNullable(sortKey));
  }
}
