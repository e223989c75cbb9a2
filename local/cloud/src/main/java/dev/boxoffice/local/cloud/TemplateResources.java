package dev.boxoffice.local.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.stepfunctions.StepFunctionsConfig;
import dev.boxoffice.local.stepfunctions.StepFunctionsEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * The template's topics, buckets and state machines, created in the local services (tables are created by the local
 * DynamoDB itself), and their physical names and ARNs by logical id.
 */
public final class TemplateResources {

  private static final Logger LOG = LoggerFactory.getLogger(TemplateResources.class);

  private final CloudFormationTemplate template;
  private final Map<String, String> bucketNames = new LinkedHashMap<>();
  private final Map<String, String> topicArns = new LinkedHashMap<>();
  private final Map<String, String> stateMachineArns = new LinkedHashMap<>();

  private TemplateResources(CloudFormationTemplate template) {
    this.template = template;
  }

  static TemplateResources create(CloudFormationTemplate template, AdminClients admin, StepFunctionsEngine engine)
      throws IOException {
    TemplateResources resources = new TemplateResources(template);
    resources.createTopicsAndBuckets(admin);
    resources.createStateMachines(engine);
    return resources;
  }

  private void createTopicsAndBuckets(AdminClients admin) {
    for (String topic : template.resourceIdsOfType("AWS::SNS::Topic")) {
      String name = template.resolvedProperties(topic).path("TopicName").asText(topic);
      topicArns.put(topic, admin.sns().createTopic(request -> request.name(name)).topicArn());
    }
    for (String bucket : template.resourceIdsOfType("AWS::S3::Bucket")) {
      String name = template.resolvedProperties(bucket).path("BucketName").asText();
      bucketNames.put(bucket, name);
      try {
        admin.s3().createBucket(request -> request.bucket(name));
      } catch (BucketAlreadyOwnedByYouException alreadyThere) {
        LOG.debug("bucket {} kept from an earlier start", name);
      }
    }
  }

  /** Creates each template state machine from its file in {@code state-machines/}, with its substitutions. */
  private void createStateMachines(StepFunctionsEngine engine) throws IOException {
    for (String logicalId : template.resourceIdsOfType("AWS::StepFunctions::StateMachine")) {
      JsonNode properties = template.resolvedProperties(logicalId);
      Path definitionFile = template.file().getParent().resolve(properties.path("DefinitionS3Location").asText())
          .normalize();
      String definition = Files.readString(definitionFile);
      for (Map.Entry<String, JsonNode> substitution : properties.path("DefinitionSubstitutions").properties()) {
        definition = definition.replace("${" + substitution.getKey() + "}", substitution.getValue().asText());
      }
      String name = properties.path("StateMachineName").asText(logicalId);
      String arn = engine.createStateMachine(name, definition,
          properties.path("RoleArn").asText("arn:aws:iam::" + StepFunctionsConfig.LOCAL_ACCOUNT + ":role/" + name))
          .arn();
      stateMachineArns.put(logicalId, arn);
    }
  }

  /** The name of the bucket created from the template's bucket {@code logicalId}. */
  public String bucketName(String logicalId) {
    return lookUp(bucketNames, logicalId, "bucket");
  }

  /** The ARN of the topic created from the template's topic {@code logicalId}. */
  public String topicArn(String logicalId) {
    return lookUp(topicArns, logicalId, "topic");
  }

  /** The name of the table created from the template's table {@code logicalId}. */
  public String tableName(String logicalId) {
    return template.tables().stream().filter(table -> table.logicalId().equals(logicalId)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no table " + logicalId + " in " + template.file()))
        .tableName();
  }

  /** The ARN of the state machine created from the template's state machine {@code logicalId}. */
  public String stateMachineArn(String logicalId) {
    return lookUp(stateMachineArns, logicalId, "state machine");
  }

  private String lookUp(Map<String, String> resources, String logicalId, String kind) {
    String value = resources.get(logicalId);
    if (value == null) {
      throw new NoSuchElementException("no " + kind + " " + logicalId + " in " + template.file());
    }
    return value;
  }
}
