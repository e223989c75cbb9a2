package dev.boxoffice.local.aws.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.cloudformation.FunctionDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local account's IAM as the templates declare it. Roles: each Lambda function's execution role and each state
 * machine's role from {@code serverless.yaml}, and the backend's ECS task role from {@code compute.yaml}, whose
 * state machine ARNs are the serverless stack's outputs that the root template {@code boxoffice.yaml} passes to the
 * compute stack. A role's policies are its inline {@code Policies}, the {@code AWS::IAM::Policy} and
 * {@code AWS::IAM::ManagedPolicy} resources attached to it and the AWS managed policies it lists. Resource policies:
 * bucket, topic and queue policies and the functions' {@code AWS::Lambda::Permission}s. Each CloudFront distribution
 * becomes a service principal acting for it, as its origin access control signs for it in AWS.
 */
public final class TemplateIam {

  /** The root template beside the serverless one, which wires the nested stacks together. */
  static final String ROOT_TEMPLATE = "boxoffice.yaml";
  static final String CLOUDFRONT = "cloudfront.amazonaws.com";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final LocalIam iam;
  private final String backendTaskRoleArn;
  private final List<String> distributionArns;

  private TemplateIam(LocalIam iam, String backendTaskRoleArn, List<String> distributionArns) {
    this.iam = iam;
    this.backendTaskRoleArn = backendTaskRoleArn;
    this.distributionArns = List.copyOf(distributionArns);
  }

  /**
   * Reads the roles, resource policies and service principals of {@code serverless} (and of the compute stack beside
   * it, when the root template is there).
   */
  public static TemplateIam load(CloudFormationTemplate serverless, AccessKey administratorKey, boolean enforced) {
    LocalIam.Builder iam = LocalIam.builder(CloudFormationTemplate.ACCOUNT_ID, CloudFormationTemplate.REGION,
        administratorKey, enforced);
    for (FunctionDefinition function : serverless.functionsByName().values()) {
      if (function.roleArn() != null) {
        addRole(iam, serverless, function.roleArn(), function.functionName(), "the function " + function.logicalId());
      }
    }
    for (String machine : serverless.resourceIdsOfType("AWS::StepFunctions::StateMachine")) {
      String roleArn = serverless.resolvedProperties(machine, "RoleArn").path("RoleArn").asText(null);
      if (roleArn != null) {
        addRole(iam, serverless, roleArn, randomAlphanumeric(32), "the state machine " + machine);
      }
    }
    String backendTaskRoleArn = null;
    Optional<CloudFormationTemplate> compute = computeStack(serverless);
    if (compute.isPresent()) {
      backendTaskRoleArn = taskRoleArn(compute.get());
      addRole(iam, compute.get(), backendTaskRoleArn, HexFormat.of().formatHex(randomBytes(16)),
          "the ECS task definitions of " + compute.get().file().getFileName());
    }
    resourcePolicies(iam, serverless);
    List<String> distributions = new ArrayList<>();
    for (String distribution : serverless.resourceIdsOfType("AWS::CloudFront::Distribution")) {
      String arn = "arn:aws:cloudfront::" + iam.account() + ":distribution/" + serverless.ref(distribution);
      iam.service(CLOUDFRONT, arn);
      distributions.add(arn);
    }
    return new TemplateIam(iam.build(), backendTaskRoleArn, distributions);
  }

  public LocalIam iam() {
    return iam;
  }

  /** The session of the backend's ECS task role; empty when no compute stack sits beside the template. */
  public Optional<Principal> backendTask() {
    return Optional.ofNullable(backendTaskRoleArn).map(iam::session);
  }

  /** CloudFront acting for the template's first distribution, as it reads its S3 origin. */
  public Optional<Principal> cloudFront() {
    return distributionArns.stream().findFirst().map(arn -> iam.service(CLOUDFRONT, arn));
  }

  private static void addRole(LocalIam.Builder iam, CloudFormationTemplate template, String roleArn,
                              String sessionName, String user) {
    if (iam.hasRole(roleArn)) {
      return;
    }
    String roleId = roleIdOf(template, roleArn).orElseThrow(() -> new IllegalArgumentException(user + " uses the "
        + "role " + roleArn + ", which is no AWS::IAM::Role of " + template.file().getFileName()));
    iam.role(roleArn, sessionName, identityStatements(template, roleId));
  }

  private static Optional<String> roleIdOf(CloudFormationTemplate template, String roleArn) {
    return template.resourceIdsOfType("AWS::IAM::Role").stream()
        .filter(role -> roleArn.equals("arn:aws:iam::" + CloudFormationTemplate.ACCOUNT_ID + ":role/"
            + template.ref(role)))
        .findFirst();
  }

  /** Inline policies, attached policies and managed policies of the role {@code roleId}. */
  private static List<PolicyStatement> identityStatements(CloudFormationTemplate template, String roleId) {
    String where = template.file().getFileName() + " " + roleId;
    List<PolicyStatement> statements = new ArrayList<>();
    JsonNode role = template.resolvedProperties(roleId, "Policies", "ManagedPolicyArns");
    for (JsonNode policy : role.path("Policies")) {
      statements.addAll(PolicyStatement.parse(policy.path("PolicyDocument"),
          where + " policy " + policy.path("PolicyName").asText(), false));
    }
    Map<String, String> customerManaged = new LinkedHashMap<>();
    for (String managed : template.resourceIdsOfType("AWS::IAM::ManagedPolicy")) {
      customerManaged.put(template.ref(managed), managed);
    }
    for (JsonNode arn : role.path("ManagedPolicyArns")) {
      String managed = customerManaged.get(arn.asText());
      if (managed == null) {
        statements.addAll(ManagedPolicies.statementsOf(arn.asText(), where));
      } else {
        statements.addAll(PolicyStatement.parse(
            template.resolvedProperties(managed, "PolicyDocument").path("PolicyDocument"), where + " " + managed,
            false));
      }
    }
    String roleName = template.ref(roleId);
    for (String type : List.of("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
      for (String attached : template.resourceIdsOfType(type)) {
        JsonNode policy = template.resolvedProperties(attached, "Roles", "PolicyDocument");
        boolean toThisRole = false;
        for (JsonNode name : policy.path("Roles")) {
          toThisRole |= name.asText().equals(roleName);
        }
        if (toThisRole) {
          statements.addAll(PolicyStatement.parse(policy.path("PolicyDocument"), where + " " + attached, false));
        }
      }
    }
    return statements;
  }

  /**
   * The compute stack as the root template declares it beside {@code serverless}: its template, loaded with the
   * serverless stack's outputs for the parameters the root template passes it from there.
   */
  public static Optional<CloudFormationTemplate> computeStack(CloudFormationTemplate serverless) {
    Path directory = serverless.file().toAbsolutePath().getParent();
    Path rootFile = directory.resolve(ROOT_TEMPLATE);
    if (!Files.isRegularFile(rootFile)) {
      return Optional.empty();
    }
    CloudFormationTemplate root = CloudFormationTemplate.load(rootFile);
    Map<String, String> templateOfStack = new LinkedHashMap<>();
    for (String stack : root.resourceIdsOfType("AWS::CloudFormation::Stack")) {
      templateOfStack.put(stack, root.rawProperty(stack, "TemplateURL").asText());
    }
    String serverlessName = serverless.file().getFileName().toString();
    for (Map.Entry<String, String> stack : templateOfStack.entrySet()) {
      Path nested = directory.resolve(stack.getValue());
      if (!Files.isRegularFile(nested) || stack.getValue().equals(serverlessName)) {
        continue;
      }
      CloudFormationTemplate candidate = CloudFormationTemplate.load(nested);
      if (candidate.resourceIdsOfType("AWS::ECS::TaskDefinition").isEmpty()) {
        continue;
      }
      Map<String, String> parameters = new LinkedHashMap<>();
      root.rawProperty(stack.getKey(), "Parameters").properties().forEach(parameter -> {
        JsonNode getAtt = parameter.getValue().path("Fn::GetAtt");
        String source = getAtt.path(0).asText();
        String attribute = getAtt.path(1).asText();
        if (serverlessName.equals(templateOfStack.get(source)) && attribute.startsWith("Outputs.")) {
          parameters.put(parameter.getKey(), serverless.outputValue(attribute.substring("Outputs.".length())));
        } else if (parameter.getKey().endsWith("CredentialsArn")) {
          // A secret the data stack creates (RDS's, Redis's), which the task role reads: the ARN it would have here.
          parameters.put(parameter.getKey(), "arn:aws:secretsmanager:" + CloudFormationTemplate.REGION + ":"
              + CloudFormationTemplate.ACCOUNT_ID + ":secret:" + serverless.stackName() + "/" + parameter.getKey()
              + "-local0");
        }
      });
      return Optional.of(CloudFormationTemplate.load(nested, parameters,
          serverless.stackName() + "-" + stack.getKey()));
    }
    return Optional.empty();
  }

  /** The one role every ECS task definition of the compute stack runs as. */
  private static String taskRoleArn(CloudFormationTemplate compute) {
    List<String> roles = compute.resourceIdsOfType("AWS::ECS::TaskDefinition").stream()
        .map(definition -> compute.resolvedProperties(definition, "TaskRoleArn").path("TaskRoleArn").asText(null))
        .distinct().toList();
    if (roles.size() != 1 || roles.get(0) == null) {
      throw new IllegalArgumentException(compute.file().getFileName() + ": the local stack runs one backend, so its "
          + "task definitions must share one TaskRoleArn, not " + roles);
    }
    return roles.get(0);
  }

  private static void resourcePolicies(LocalIam.Builder iam, CloudFormationTemplate template) {
    String name = template.file().getFileName().toString();
    for (String policy : template.resourceIdsOfType("AWS::S3::BucketPolicy")) {
      JsonNode properties = template.resolvedProperties(policy, "Bucket", "PolicyDocument");
      iam.resourcePolicy("arn:aws:s3:::" + properties.path("Bucket").asText(),
          PolicyStatement.parse(properties.path("PolicyDocument"), name + " " + policy, true));
    }
    for (String policy : template.resourceIdsOfType("AWS::SNS::TopicPolicy")) {
      JsonNode properties = template.resolvedProperties(policy, "Topics", "PolicyDocument");
      for (JsonNode topic : properties.path("Topics")) {
        iam.resourcePolicy(topic.asText(),
            PolicyStatement.parse(properties.path("PolicyDocument"), name + " " + policy, true));
      }
    }
    for (String policy : template.resourceIdsOfType("AWS::SQS::QueuePolicy")) {
      JsonNode properties = template.resolvedProperties(policy, "Queues", "PolicyDocument");
      for (JsonNode queueUrl : properties.path("Queues")) {
        String queueName = queueUrl.asText().substring(queueUrl.asText().lastIndexOf('/') + 1);
        iam.resourcePolicy("arn:aws:sqs:" + iam.region() + ":" + iam.account() + ":" + queueName,
            PolicyStatement.parse(properties.path("PolicyDocument"), name + " " + policy, true));
      }
    }
    for (String permission : template.resourceIdsOfType("AWS::Lambda::Permission")) {
      JsonNode properties = template.resolvedProperties(permission, "Action", "FunctionName", "Principal",
          "SourceArn", "SourceAccount");
      String function = properties.path("FunctionName").asText();
      String functionArn = function.startsWith("arn:") ? function
          : "arn:aws:lambda:" + iam.region() + ":" + iam.account() + ":function:" + function;
      iam.resourcePolicy(functionArn, PolicyStatement.parse(permissionPolicy(properties, functionArn),
          name + " " + permission, true));
    }
  }

  /** The statement Lambda adds to a function's resource policy for an {@code AWS::Lambda::Permission}. */
  private static JsonNode permissionPolicy(JsonNode permission, String functionArn) {
    ObjectNode statement = NODES.objectNode().put("Effect", "Allow")
        .put("Action", permission.path("Action").asText()).put("Resource", functionArn);
    String principal = permission.path("Principal").asText();
    if (principal.endsWith(".amazonaws.com")) {
      statement.putObject("Principal").put("Service", principal);
    } else {
      statement.putObject("Principal").put("AWS", principal);
    }
    ObjectNode condition = NODES.objectNode();
    if (permission.hasNonNull("SourceArn")) {
      condition.putObject("ArnLike").put("aws:SourceArn", permission.get("SourceArn").asText());
    }
    if (permission.hasNonNull("SourceAccount")) {
      condition.putObject("StringEquals").put("aws:SourceAccount", permission.get("SourceAccount").asText());
    }
    if (!condition.isEmpty()) {
      statement.set("Condition", condition);
    }
    return NODES.objectNode().set("Statement", statement);
  }

  private static String randomAlphanumeric(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    StringBuilder text = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      text.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return text.toString();
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
