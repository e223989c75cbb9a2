package dev.boxoffice.local.aws.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.aws.RepositoryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CloudFormationTemplateTest {

  @Test
  @DisplayName("the serverless template declares the OTP table keyed by email hash with TTL on expiresAt")
  void otpTable() {
    CloudFormationTemplate template = CloudFormationTemplate.load(RepositoryFiles.serverlessTemplate());

    TableDefinition otp = table(template, "OtpTable");

    assertThat(otp.tableName()).isEqualTo("boxoffice-otp-codes");
    assertThat(otp.primaryKey()).isEqualTo(new KeySchema("codeSlot", Optional.empty()));
    assertThat(otp.attributeTypes()).containsExactly(Map.entry("codeSlot", "S"));
    assertThat(otp.timeToLiveAttribute()).contains("expiresAt");
  }

  @Test
  @DisplayName("the serverless template declares the activity-log table with pk/sk, a GSI and TTL")
  void activityLogTable() {
    CloudFormationTemplate template = CloudFormationTemplate.load(RepositoryFiles.serverlessTemplate());

    TableDefinition log = table(template, "ActivityLogTable");

    assertThat(log.tableName()).isEqualTo("boxoffice-activity-log");
    assertThat(log.primaryKey()).isEqualTo(new KeySchema("pk", Optional.of("sk")));
    assertThat(log.globalSecondaryIndexes()).containsExactly(
        new GlobalIndex("gsi1", new KeySchema("gsi1pk", Optional.of("gsi1sk")), "ALL", List.of()));
    assertThat(log.timeToLiveAttribute()).contains("expiresAt");
    assertThat(template.restApis()).extracting(RestApiDefinition::name).containsExactly("boxoffice-api");
  }

  @Test
  @DisplayName("short-form intrinsics resolve: Ref, GetAtt, Sub, Join, Select, Split, FindInMap, If and NoValue")
  void intrinsics() {
    CloudFormationTemplate template = CloudFormationTemplate.load(RepositoryFiles.testResource("test-api.yaml"));

    FunctionDefinition echo = template.functionsByName().get("boxoffice-echo");

    assertThat(echo.handler()).isEqualTo("dev.boxoffice.local.aws.testhandlers.EchoHandler::handleRequest");
    assertThat(echo.timeoutSeconds()).isEqualTo(5);
    assertThat(echo.memorySizeMb()).isEqualTo(512);
    assertThat(echo.environment())
        .containsEntry("TABLE_NAME", "boxoffice-events-test")
        .containsEntry("TABLE_ARN", "arn:aws:dynamodb:us-east-1:000000000000:table/boxoffice-events-test")
        .containsEntry("GREETING", "hello")
        .containsEntry("FIRST_COLOUR", "red")
        .containsEntry("JOINED", "a-test-z")
        .containsEntry("MODE", "testing")
        .containsEntry("LITERAL", "${NotAVariable}")
        .doesNotContainKey("OPTIONAL");
  }

  @Test
  @DisplayName("Ref of a topic, a state machine or a queue answers its ARN or URL as in AWS, GetAtt its ARN and name")
  void refsThatAnswerArns(@TempDir Path dir) throws IOException {
    Path file = Files.writeString(dir.resolve("refs.yaml"), """
        Resources:
          NamedTopic:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: !Sub "${AWS::StackName}-emails"
          UnnamedTopic:
            Type: AWS::SNS::Topic
          Workflow:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              StateMachineName: !Sub "${AWS::StackName}-workflow"
          Queue:
            Type: AWS::SQS::Queue
            Properties:
              QueueName: jobs
          Function:
            Type: AWS::Lambda::Function
            Properties:
              Handler: com.example.Handler::handleRequest
              Environment:
                Variables:
                  TOPIC_REF: !Ref NamedTopic
                  TOPIC_ARN: !GetAtt NamedTopic.TopicArn
                  TOPIC_NAME: !GetAtt NamedTopic.TopicName
                  UNNAMED_TOPIC_REF: !Ref UnnamedTopic
                  UNNAMED_TOPIC_NAME: !Sub "${UnnamedTopic.TopicName}"
                  WORKFLOW_REF: !Ref Workflow
                  WORKFLOW_ARN: !GetAtt Workflow.Arn
                  WORKFLOW_NAME: !GetAtt Workflow.Name
                  QUEUE_REF: !Ref Queue
                  QUEUE_ARN: !GetAtt Queue.Arn
                  QUEUE_NAME: !GetAtt Queue.QueueName
        """);

    Map<String, String> environment = CloudFormationTemplate.load(file, Map.of(), "shop")
        .functionsByName().get("shop-Function").environment();

    assertThat(environment)
        .containsEntry("TOPIC_REF", "arn:aws:sns:us-east-1:000000000000:shop-emails")
        .containsEntry("TOPIC_ARN", "arn:aws:sns:us-east-1:000000000000:shop-emails")
        .containsEntry("TOPIC_NAME", "shop-emails")
        .containsEntry("UNNAMED_TOPIC_REF", "arn:aws:sns:us-east-1:000000000000:shop-UnnamedTopic")
        .containsEntry("UNNAMED_TOPIC_NAME", "shop-UnnamedTopic")
        .containsEntry("WORKFLOW_REF", "arn:aws:states:us-east-1:000000000000:stateMachine:shop-workflow")
        .containsEntry("WORKFLOW_ARN", "arn:aws:states:us-east-1:000000000000:stateMachine:shop-workflow")
        .containsEntry("WORKFLOW_NAME", "shop-workflow")
        .containsEntry("QUEUE_REF", "https://sqs.us-east-1.amazonaws.com/000000000000/jobs")
        .containsEntry("QUEUE_ARN", "arn:aws:sqs:us-east-1:000000000000:jobs")
        .containsEntry("QUEUE_NAME", "jobs");
  }

  @Test
  @DisplayName("the serverless template hands its functions the notification topic's and the subscription state "
      + "machine's ARNs")
  void serverlessTemplateArns() {
    Map<String, FunctionDefinition> functions = CloudFormationTemplate.load(RepositoryFiles.serverlessTemplate(),
        Map.of("SiteUrl", "http://127.0.0.1:8080", "MailDomain", "boxoffice.localhost"),
        CloudFormationTemplate.DEFAULT_STACK_NAME).functionsByName();

    assertThat(functions.get("boxoffice-SendOtpFunction").environment()).containsEntry(
        "BOXOFFICE_NOTIFICATION_TOPIC_ARN", "arn:aws:sns:us-east-1:000000000000:boxoffice-notifications");
    assertThat(functions.get("boxoffice-SubscribeFunction").environment()).containsEntry(
        "BOXOFFICE_SUBSCRIPTION_STATE_MACHINE_ARN",
        "arn:aws:states:us-east-1:000000000000:stateMachine:boxoffice-subscription");
  }

  @Test
  @DisplayName("parameter overrides and the stack name change names, and a false Condition drops its resource")
  void parametersAndConditions() {
    Path file = RepositoryFiles.testResource("test-api.yaml");

    CloudFormationTemplate test = CloudFormationTemplate.load(file);
    CloudFormationTemplate prod = CloudFormationTemplate.load(file, Map.of("Stage", "prod"), "shop");

    assertThat(test.tables()).extracting(TableDefinition::logicalId).containsExactly("EventsTable");
    assertThat(prod.tables()).extracting(TableDefinition::tableName)
        .containsExactly("shop-events-prod", "shop-ProdOnlyTable");
    assertThat(prod.functionsByName().get("shop-echo").environment())
        .containsEntry("MODE", "production")
        .containsEntry("GREETING", "bonjour")
        .containsEntry("OPTIONAL", "set");
  }

  @Test
  @DisplayName("the REST API's resources, methods and integrations become routes with full paths")
  void routes() {
    CloudFormationTemplate template = CloudFormationTemplate.load(RepositoryFiles.testResource("test-api.yaml"));

    RestApiDefinition api = template.restApis().getFirst();

    assertThat(api.binaryMediaTypes()).containsExactly("image/png", "application/octet-stream");
    assertThat(api.gatewayResponseHeaders()).containsEntry("DEFAULT_4XX", Map.of("Access-Control-Allow-Origin", "*"));
    assertThat(api.methods()).contains(
        new ApiMethod("/events", "GET", new ApiMethod.LambdaProxy("boxoffice-echo")),
        new ApiMethod("/events", "POST", new ApiMethod.LambdaProxy("boxoffice-echo")),
        new ApiMethod("/events/{eventId}", "GET", new ApiMethod.LambdaProxy("boxoffice-echo")),
        new ApiMethod("/files/{proxy+}", "ANY", new ApiMethod.LambdaProxy("boxoffice-echo")),
        new ApiMethod("/fail", "GET", new ApiMethod.LambdaProxy("boxoffice-FailingFunction")));
    assertThat(api.methods()).filteredOn(method -> method.httpMethod().equals("OPTIONS"))
        .singleElement()
        .satisfies(preflight -> assertThat(preflight.integration()).isEqualTo(new ApiMethod.Mock(204, Map.of(
            "Access-Control-Allow-Origin", "http://localhost:5173",
            "Access-Control-Allow-Methods", "GET,POST,OPTIONS",
            "Access-Control-Allow-Headers", "Content-Type,Authorization"))));
  }

  @Test
  @DisplayName("an unknown YAML tag, a missing parameter value or an unknown override is refused with its name")
  void badTemplates(@TempDir Path dir) throws IOException {
    Path unknownTag = Files.writeString(dir.resolve("tag.yaml"), """
        Resources:
          Table:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !Frobnicate x
        """);
    Path noDefault = Files.writeString(dir.resolve("param.yaml"), """
        Parameters:
          Suffix:
            Type: String
        Resources:
          Table:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: !Sub "t-${Suffix}"
              KeySchema:
                - AttributeName: id
                  KeyType: HASH
        """);
    Path notYaml = Files.writeString(dir.resolve("broken.yaml"), "Resources: [unclosed");

    assertThatThrownBy(() -> CloudFormationTemplate.load(unknownTag))
        .isInstanceOf(TemplateException.class).hasMessageContaining("!Frobnicate");
    assertThatThrownBy(() -> CloudFormationTemplate.load(noDefault).tables())
        .isInstanceOf(TemplateException.class).hasMessageContaining("Suffix");
    assertThatThrownBy(() -> CloudFormationTemplate.load(noDefault, Map.of("Nope", "x"), "s"))
        .isInstanceOf(TemplateException.class).hasMessageContaining("Nope");
    assertThatThrownBy(() -> CloudFormationTemplate.load(notYaml))
        .isInstanceOf(TemplateException.class).hasMessageContaining("broken.yaml");
  }

  @Test
  @DisplayName("properties only a deployment needs may use parameters without defaults and intrinsics we cannot run")
  void deploymentOnlyProperties(@TempDir Path dir) throws IOException {
    Path template = Files.writeString(dir.resolve("deploy.yaml"), """
        Parameters:
          ArtifactBucket:
            Type: String
          KmsKey:
            Type: String
        Resources:
          Table:
            Type: AWS::DynamoDB::Table
            Properties:
              TableName: orders
              SSESpecification:
                KMSMasterKeyId: !Ref KmsKey
              AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
              KeySchema: [{AttributeName: id, KeyType: HASH}]
          Function:
            Type: AWS::Lambda::Function
            Properties:
              FunctionName: orders-function
              Handler: com.example.Orders::handleRequest
              Role: !ImportValue shared-lambda-role
              Code:
                S3Bucket: !Ref ArtifactBucket
                S3Key: lambdas.jar
              Environment:
                Variables:
                  TABLE: !Ref Table
        """);

    CloudFormationTemplate loaded = CloudFormationTemplate.load(template);

    assertThat(loaded.tables()).extracting(TableDefinition::tableName).containsExactly("orders");
    assertThat(loaded.functionsByName().get("orders-function").environment()).containsEntry("TABLE", "orders");
  }

  private static TableDefinition table(CloudFormationTemplate template, String logicalId) {
    return template.tables().stream()
        .filter(table -> table.logicalId().equals(logicalId))
        .findFirst()
        .orElseThrow();
  }
}
