package dev.boxoffice.local.aws.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Evaluates the intrinsic functions and pseudo parameters of a template the way CloudFormation would for a stack in
 * the local account, so names and ARNs built with {@code !Sub}/{@code !Ref}/{@code !GetAtt} come out concrete.
 * {@code AWS::NoValue} resolves to {@code null}, which drops the property or list element holding it.
 *
 * <p>Longer than most classes on purpose: one method per intrinsic function, as CloudFormation's reference lists
 * them, sharing one evaluation of conditions and references.
 */
final class CloudFormationIntrinsics {

  static final String ACCOUNT_ID = "000000000000";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

  private final JsonNode template;
  private final Map<String, String> parameterValues;
  private final String stackName;
  private final String region;
  private final Map<String, Boolean> conditionCache = new HashMap<>();

  CloudFormationIntrinsics(JsonNode template, Map<String, String> parameterOverrides, String stackName, String region) {
    this.template = template;
    this.stackName = stackName;
    this.region = region;
    this.parameterValues = new HashMap<>();
    template.path("Parameters").properties().forEach(parameter -> {
      JsonNode defaultValue = parameter.getValue().get("Default");
      if (defaultValue != null && !defaultValue.isNull()) {
        parameterValues.put(parameter.getKey(), defaultValue.asText());
      }
    });
    parameterOverrides.forEach((name, value) -> {
      if (!template.path("Parameters").has(name)) {
        throw new TemplateException("parameter override " + name + " is not a parameter of the template");
      }
      parameterValues.put(name, value);
    });
  }

  String stackName() {
    return stackName;
  }

  String region() {
    return region;
  }

  JsonNode resolve(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return null;
    }
    if (node.isArray()) {
      ArrayNode resolved = NODES.arrayNode();
      for (JsonNode element : node) {
        JsonNode value = resolve(element);
        if (value != null) {
          resolved.add(value);
        }
      }
      return resolved;
    }
    if (!node.isObject()) {
      return node;
    }
    if (node.size() == 1) {
      String key = node.fieldNames().next();
      if (key.equals("Ref") || key.startsWith("Fn::")) {
        return function(key, node.get(key));
      }
    }
    ObjectNode resolved = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = resolve(field.getValue());
      if (value != null) {
        resolved.set(field.getKey(), value);
      }
    }
    return resolved;
  }

  String resolveText(JsonNode node, String what) {
    JsonNode value = resolve(node);
    if (value == null || value.isNull() || value.isContainerNode()) {
      throw new TemplateException(what + " does not resolve to a string");
    }
    return value.asText();
  }

  boolean condition(String name) {
    Boolean cached = conditionCache.get(name);
    if (cached != null) {
      return cached;
    }
    JsonNode definition = template.path("Conditions").get(name);
    if (definition == null) {
      throw new TemplateException("condition " + name + " is not defined");
    }
    boolean value = evaluateCondition(definition);
    conditionCache.put(name, value);
    return value;
  }

  private boolean evaluateCondition(JsonNode node) {
    if (node.isObject() && node.size() == 1) {
      String key = node.fieldNames().next();
      JsonNode argument = node.get(key);
      switch (key) {
        case "Condition":
          return condition(argument.asText());
        case "Fn::Equals":
          return textOf(resolve(argument.get(0))).equals(textOf(resolve(argument.get(1))));
        case "Fn::Not":
          return !evaluateCondition(argument.get(0));
        case "Fn::And":
          for (JsonNode operand : argument) {
            if (!evaluateCondition(operand)) {
              return false;
            }
          }
          return true;
        case "Fn::Or":
          for (JsonNode operand : argument) {
            if (evaluateCondition(operand)) {
              return true;
            }
          }
          return false;
        default:
          break;
      }
    }
    JsonNode resolved = resolve(node);
    if (resolved != null && resolved.isBoolean()) {
      return resolved.booleanValue();
    }
    throw new TemplateException("not a condition: " + node);
  }

  private JsonNode function(String name, JsonNode argument) {
    return switch (name) {
      case "Ref" -> ref(argument.asText());
      case "Fn::GetAtt" -> NODES.textNode(getAtt(argument.get(0).asText(), argument.get(1).asText()));
      case "Fn::Sub" -> NODES.textNode(sub(argument));
      case "Fn::Join" -> NODES.textNode(join(argument));
      case "Fn::If" -> resolve(condition(argument.get(0).asText()) ? argument.get(1) : argument.get(2));
      case "Fn::Select" -> select(argument);
      case "Fn::Split" -> split(argument);
      case "Fn::FindInMap" -> findInMap(argument);
      case "Fn::Base64" -> NODES.textNode(Base64.getEncoder()
          .encodeToString(resolveText(argument, "Fn::Base64 argument").getBytes(StandardCharsets.UTF_8)));
      case "Fn::GetAZs" -> NODES.arrayNode().add(region + "a").add(region + "b").add(region + "c");
      case "Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or" -> NODES.booleanNode(evaluateCondition(
          NODES.objectNode().set(name, argument)));
      default -> throw new TemplateException(name + " cannot be evaluated by the local stack");
    };
  }

  private JsonNode ref(String name) {
    return switch (name) {
      case "AWS::NoValue" -> null;
      case "AWS::Region" -> NODES.textNode(region);
      case "AWS::AccountId" -> NODES.textNode(ACCOUNT_ID);
      case "AWS::StackName" -> NODES.textNode(stackName);
      case "AWS::StackId" -> NODES.textNode(
          "arn:aws:cloudformation:" + region + ":" + ACCOUNT_ID + ":stack/" + stackName + "/local");
      case "AWS::Partition" -> NODES.textNode("aws");
      case "AWS::URLSuffix" -> NODES.textNode("amazonaws.com");
      default -> refToParameterOrResource(name);
    };
  }

  private JsonNode refToParameterOrResource(String name) {
    JsonNode parameter = template.path("Parameters").get(name);
    if (parameter != null) {
      String value = parameterValues.get(name);
      if (value == null) {
        throw new TemplateException("parameter " + name + " has no Default and no override");
      }
      String type = parameter.path("Type").asText();
      if (type.startsWith("List<") || type.equals("CommaDelimitedList")) {
        ArrayNode list = NODES.arrayNode();
        for (String element : value.split(",")) {
          list.add(element.trim());
        }
        return list;
      }
      return NODES.textNode(value);
    }
    return NODES.textNode(refToResource(name));
  }

  /** What CloudFormation's Ref returns for the resource: its name for most types, an ARN or URL for some. */
  private String refToResource(String logicalId) {
    return switch (resourceType(logicalId)) {
      case "AWS::SNS::Topic" -> topicArn(logicalId);
      case "AWS::StepFunctions::StateMachine" -> stateMachineArn(logicalId);
      case "AWS::SQS::Queue" -> queueUrl(logicalId);
      case "AWS::IAM::ManagedPolicy" -> "arn:aws:iam::" + ACCOUNT_ID + ":policy/" + physicalId(logicalId);
      default -> physicalId(logicalId);
    };
  }

  private String resourceType(String logicalId) {
    JsonNode resource = template.path("Resources").get(logicalId);
    if (resource == null) {
      throw new TemplateException("Ref to " + logicalId + ", which is neither a parameter nor a resource");
    }
    return resource.path("Type").asText();
  }

  /** The name CloudFormation would give the resource: its explicit name property, else stack name and logical id. */
  String physicalId(String logicalId) {
    JsonNode resource = template.path("Resources").get(logicalId);
    if (resource == null) {
      throw new TemplateException("Ref to " + logicalId + ", which is neither a parameter nor a resource");
    }
    String nameProperty = switch (resource.path("Type").asText()) {
      case "AWS::DynamoDB::Table" -> "TableName";
      case "AWS::Lambda::Function" -> "FunctionName";
      case "AWS::SNS::Topic" -> "TopicName";
      case "AWS::S3::Bucket" -> "BucketName";
      case "AWS::SQS::Queue" -> "QueueName";
      case "AWS::StepFunctions::StateMachine" -> "StateMachineName";
      case "AWS::SES::ConfigurationSet" -> "Name";
      case "AWS::SES::EmailIdentity" -> "EmailIdentity";
      case "AWS::IAM::Role" -> "RoleName";
      case "AWS::IAM::ManagedPolicy" -> "ManagedPolicyName";
      case "AWS::Logs::LogGroup" -> "LogGroupName";
      default -> null;
    };
    JsonNode explicitName = nameProperty == null ? null : resource.path("Properties").get(nameProperty);
    if (explicitName != null) {
      return resolveText(explicitName, logicalId + "." + nameProperty);
    }
    return nameProperty == null ? logicalId : stackName + "-" + logicalId;
  }

  private String topicArn(String logicalId) {
    return "arn:aws:sns:" + region + ":" + ACCOUNT_ID + ":" + physicalId(logicalId);
  }

  private String stateMachineArn(String logicalId) {
    return "arn:aws:states:" + region + ":" + ACCOUNT_ID + ":stateMachine:" + physicalId(logicalId);
  }

  private String queueUrl(String logicalId) {
    return "https://sqs." + region + ".amazonaws.com/" + ACCOUNT_ID + "/" + physicalId(logicalId);
  }

  private String getAtt(String logicalId, String attribute) {
    JsonNode resource = template.path("Resources").get(logicalId);
    if (resource == null) {
      throw new TemplateException("Fn::GetAtt on unknown resource " + logicalId);
    }
    String type = resource.path("Type").asText();
    String arnPrefix = "arn:aws:";
    return switch (type + "." + attribute) {
      case "AWS::DynamoDB::Table.Arn" ->
          arnPrefix + "dynamodb:" + region + ":" + ACCOUNT_ID + ":table/" + physicalId(logicalId);
      case "AWS::DynamoDB::Table.StreamArn" ->
          arnPrefix + "dynamodb:" + region + ":" + ACCOUNT_ID + ":table/" + physicalId(logicalId) + "/stream/local";
      case "AWS::Lambda::Function.Arn" ->
          arnPrefix + "lambda:" + region + ":" + ACCOUNT_ID + ":function:" + physicalId(logicalId);
      case "AWS::SNS::Topic.TopicArn" -> topicArn(logicalId);
      case "AWS::SNS::Topic.TopicName" -> physicalId(logicalId);
      case "AWS::S3::Bucket.Arn" -> arnPrefix + "s3:::" + physicalId(logicalId);
      case "AWS::SQS::Queue.Arn" -> arnPrefix + "sqs:" + region + ":" + ACCOUNT_ID + ":" + physicalId(logicalId);
      case "AWS::SQS::Queue.QueueName" -> physicalId(logicalId);
      case "AWS::SQS::Queue.QueueUrl" -> queueUrl(logicalId);
      case "AWS::StepFunctions::StateMachine.Arn" -> stateMachineArn(logicalId);
      case "AWS::StepFunctions::StateMachine.Name" -> physicalId(logicalId);
      case "AWS::ApiGateway::RestApi.RootResourceId" -> ApiRoutes.ROOT_RESOURCE_PREFIX + logicalId;
      case "AWS::IAM::Role.Arn" -> arnPrefix + "iam::" + ACCOUNT_ID + ":role/" + physicalId(logicalId);
      case "AWS::Logs::LogGroup.Arn" ->
          arnPrefix + "logs:" + region + ":" + ACCOUNT_ID + ":log-group:" + physicalId(logicalId) + ":*";
      default -> logicalId + "." + attribute;
    };
  }

  private String sub(JsonNode argument) {
    String text;
    Map<String, String> variables = new HashMap<>();
    if (argument.isArray()) {
      text = argument.get(0).asText();
      argument.get(1).properties().forEach(variable ->
          variables.put(variable.getKey(), resolveText(variable.getValue(), "Fn::Sub variable " + variable.getKey())));
    } else {
      text = argument.asText();
    }
    Matcher matcher = SUB_VARIABLE.matcher(text);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String variable = matcher.group(1);
      String replacement;
      if (variable.startsWith("!")) {
        replacement = "${" + variable.substring(1) + "}";
      } else if (variables.containsKey(variable)) {
        replacement = variables.get(variable);
      } else if (variable.contains(".") && !variable.startsWith("AWS::")) {
        int dot = variable.indexOf('.');
        replacement = getAtt(variable.substring(0, dot), variable.substring(dot + 1));
      } else {
        replacement = textOf(ref(variable));
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  private String join(JsonNode argument) {
    String delimiter = argument.get(0).asText();
    JsonNode values = resolve(argument.get(1));
    List<String> parts = new ArrayList<>();
    values.forEach(value -> parts.add(textOf(value)));
    return String.join(delimiter, parts);
  }

  private JsonNode select(JsonNode argument) {
    int index = Integer.parseInt(resolveText(argument.get(0), "Fn::Select index"));
    JsonNode list = resolve(argument.get(1));
    if (list == null || !list.isArray() || index < 0 || index >= list.size()) {
      throw new TemplateException("Fn::Select index " + index + " is out of range");
    }
    return list.get(index);
  }

  private JsonNode split(JsonNode argument) {
    String delimiter = argument.get(0).asText();
    ArrayNode parts = NODES.arrayNode();
    for (String part : resolveText(argument.get(1), "Fn::Split source").split(Pattern.quote(delimiter), -1)) {
      parts.add(part);
    }
    return parts;
  }

  private JsonNode findInMap(JsonNode argument) {
    String map = resolveText(argument.get(0), "Fn::FindInMap map");
    String topKey = resolveText(argument.get(1), "Fn::FindInMap key");
    String secondKey = resolveText(argument.get(2), "Fn::FindInMap key");
    JsonNode value = template.path("Mappings").path(map).path(topKey).get(secondKey);
    if (value == null) {
      throw new TemplateException("Fn::FindInMap finds nothing at " + map + "/" + topKey + "/" + secondKey);
    }
    return resolve(value);
  }

  private static String textOf(JsonNode value) {
    if (value == null || value.isContainerNode()) {
      throw new TemplateException("expected a string, got " + value);
    }
    return value.asText();
  }
}
