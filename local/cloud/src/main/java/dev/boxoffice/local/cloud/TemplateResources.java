package dev.boxoffice.local.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.stepfunctions.StepFunctionsConfig;
import dev.boxoffice.local.stepfunctions.StepFunctionsEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.sesv2.model.EventType;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The template's topics, buckets, queues, topic subscriptions, SES identities and configuration sets, and state
 * machines, created in the local services (tables are created by the local DynamoDB itself), and their physical names
 * and ARNs by logical id.
 */
public final class TemplateResources {

  private static final Logger LOG = LoggerFactory.getLogger(TemplateResources.class);
  /** The queue properties of the template that SQS takes as queue attributes. */
  private static final Map<String, QueueAttributeName> QUEUE_ATTRIBUTES = Map.of(
      "VisibilityTimeout", QueueAttributeName.VISIBILITY_TIMEOUT,
      "MessageRetentionPeriod", QueueAttributeName.MESSAGE_RETENTION_PERIOD,
      "ReceiveMessageWaitTimeSeconds", QueueAttributeName.RECEIVE_MESSAGE_WAIT_TIME_SECONDS,
      "DelaySeconds", QueueAttributeName.DELAY_SECONDS,
      "RedrivePolicy", QueueAttributeName.REDRIVE_POLICY);

  private final CloudFormationTemplate template;
  private final Map<String, String> bucketNames = new LinkedHashMap<>();
  private final Map<String, String> topicArns = new LinkedHashMap<>();
  private final Map<String, String> stateMachineArns = new LinkedHashMap<>();
  private final Map<String, String> queueUrls = new LinkedHashMap<>();

  private TemplateResources(CloudFormationTemplate template) {
    this.template = template;
  }

  static TemplateResources create(CloudFormationTemplate template, AdminClients admin, StepFunctionsEngine engine)
      throws IOException {
    TemplateResources resources = new TemplateResources(template);
    resources.createTopicsAndBuckets(admin);
    resources.createQueues(admin);
    resources.subscribe(admin);
    resources.createMailSetup(admin);
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

  /** Dead-letter queues first, so the queues whose redrive policies name them can be created. */
  private void createQueues(AdminClients admin) {
    List<String> queues = new ArrayList<>(template.resourceIdsOfType("AWS::SQS::Queue"));
    queues.sort(Comparator.comparing(queue -> template.resolvedProperties(queue).has("RedrivePolicy")));
    for (String queue : queues) {
      JsonNode properties = template.resolvedProperties(queue);
      Map<QueueAttributeName, String> attributes = new LinkedHashMap<>();
      QUEUE_ATTRIBUTES.forEach((property, attribute) -> {
        JsonNode value = properties.get(property);
        if (value != null) {
          attributes.put(attribute, value.isObject() ? value.toString() : value.asText());
        }
      });
      String name = properties.path("QueueName").asText(template.stackName() + "-" + queue);
      queueUrls.put(queue, admin.sqs().createQueue(create -> create.queueName(name).attributes(attributes))
          .queueUrl());
    }
  }

  private void subscribe(AdminClients admin) {
    for (String subscription : template.resourceIdsOfType("AWS::SNS::Subscription")) {
      JsonNode properties = template.resolvedProperties(subscription);
      Map<String, String> attributes = new LinkedHashMap<>();
      for (String attribute : List.of("RawMessageDelivery", "FilterPolicy", "FilterPolicyScope")) {
        JsonNode value = properties.get(attribute);
        if (value != null) {
          attributes.put(attribute, value.isObject() ? value.toString() : value.asText());
        }
      }
      admin.sns().subscribe(subscribe -> subscribe.topicArn(properties.path("TopicArn").asText())
          .protocol(properties.path("Protocol").asText()).endpoint(properties.path("Endpoint").asText())
          .attributes(attributes));
    }
  }

  /** The SES identities, then the configuration sets and the destinations of their events. */
  private void createMailSetup(AdminClients admin) {
    for (String identity : template.resourceIdsOfType("AWS::SES::EmailIdentity")) {
      String name = template.resolvedProperties(identity).path("EmailIdentity").asText();
      admin.ses().createEmailIdentity(create -> create.emailIdentity(name));
    }
    for (String configurationSet : template.resourceIdsOfType("AWS::SES::ConfigurationSet")) {
      String name = template.resolvedProperties(configurationSet).path("Name").asText();
      admin.ses().createConfigurationSet(create -> create.configurationSetName(name));
    }
    for (String destination : template.resourceIdsOfType("AWS::SES::ConfigurationSetEventDestination")) {
      JsonNode properties = template.resolvedProperties(destination);
      JsonNode event = properties.path("EventDestination");
      List<EventType> types = new ArrayList<>();
      event.path("MatchingEventTypes").forEach(type -> types.add(EventType.fromValue(
          type.asText().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT))));
      admin.ses().createConfigurationSetEventDestination(create -> create
          .configurationSetName(properties.path("ConfigurationSetName").asText())
          .eventDestinationName(event.path("Name").asText(destination))
          .eventDestination(target -> target.enabled(event.path("Enabled").asBoolean(false))
              .matchingEventTypes(types)
              .snsDestination(sns -> sns.topicArn(event.path("SnsDestination").path("TopicARN").asText()))));
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

  /** The URL of the queue created from the template's queue {@code logicalId}. */
  public String queueUrl(String logicalId) {
    return lookUp(queueUrls, logicalId, "queue");
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
