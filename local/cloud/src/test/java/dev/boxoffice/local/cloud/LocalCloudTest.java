package dev.boxoffice.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.aws.LocalCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LocalCloudExtension.class)
@DisplayName("The local AWS half started from the serverless template")
class LocalCloudTest {

  private final LocalCloud aws;

  LocalCloudTest(LocalCloud aws) {
    this.aws = aws;
  }

  @Test
  @DisplayName("a function's environment holds its template variables, the local endpoints, the secrets and its role")
  void functionEnvironment() {
    Map<String, String> environment = aws.functionEnvironment("VerifyOtpFunction");
    LocalPrincipal role = aws.principals().function("VerifyOtpFunction");

    assertThat(environment)
        .containsEntry("BOXOFFICE_OTP_TABLE", aws.resources().tableName("OtpTable"))
        .containsEntry("BOXOFFICE_DYNAMODB_ENDPOINT", aws.dynamoDbEndpoint().toString())
        .containsEntry("BOXOFFICE_SNS_ENDPOINT", aws.snsEndpoint().toString())
        .containsEntry("BOXOFFICE_KEYS_SECRET_ID", "boxoffice/keys")
        .containsEntry("BOXOFFICE_SECRETSMANAGER_ENDPOINT", aws.secretsManagerEndpoint().toString())
        .containsEntry("AWS_ACCESS_KEY_ID", role.accessKeyId())
        .containsEntry("AWS_SECRET_ACCESS_KEY", role.secretAccessKey())
        .containsEntry("AWS_SESSION_TOKEN", role.sessionToken())
        .containsEntry("AWS_REGION", LocalPrincipal.REGION)
        .containsKey("AWS_LAMBDA_FUNCTION_NAME");
    assertThat(environment.values()).as("no key or pepper in a function's environment")
        .noneMatch(value -> value.contains("PRIVATE KEY") || value.contains(aws.secrets().otpPepper()));
    assertThat(aws.functionEnvironment("VerifyOtpFunction", Map.of("BOXOFFICE_OTP_TABLE", "other")))
        .containsEntry("BOXOFFICE_OTP_TABLE", "other");
    assertThat(role.role()).isEqualTo("function/VerifyOtpFunction");
    assertThat(role.arn()).isEqualTo("arn:aws:sts::000000000000:assumed-role/boxoffice-VerifyOtpRole/"
        + "boxoffice-VerifyOtpFunction");
    assertThat(role.accessKeyId()).startsWith("ASIA").isNotEqualTo(LocalPrincipal.admin().accessKeyId());
  }

  @Test
  @DisplayName("the template's topics, bucket, tables, mail queues and state machines exist in the local services")
  void templateResources() {
    TemplateResources resources = aws.resources();

    for (String topicId : List.of("NotificationTopic", "MailEventsTopic")) {
      assertThat(aws.admin().sns().listTopics().topics()).anySatisfy(topic ->
          assertThat(topic.topicArn()).isEqualTo(resources.topicArn(topicId)));
    }
    assertThat(aws.admin().s3().listBuckets().buckets()).anySatisfy(bucket ->
        assertThat(bucket.name()).isEqualTo(resources.bucketName("MediaBucket")));
    for (String queue : List.of("TransactionalMailQueue", "BulkMailQueue", "MailDeadLetterQueue")) {
      assertThat(aws.admin().sqs().listQueues().queueUrls()).contains(resources.queueUrl(queue));
    }
    for (String table : List.of("OtpTable", "ActivityLogTable", "SubscribersTable", "MailLogTable",
        "SuppressionTable")) {
      assertThat(aws.admin().dynamoDb().describeTable(describe -> describe.tableName(resources.tableName(table)))
          .table().tableStatus().toString()).isEqualTo("ACTIVE");
    }
    for (String machine : List.of("SubscriptionStateMachine", "TicketIssuanceStateMachine",
        "EventAnnouncementStateMachine")) {
      assertThat(aws.admin().sfn().describeStateMachine(describe -> describe
          .stateMachineArn(resources.stateMachineArn(machine))).statusAsString()).isEqualTo("ACTIVE");
    }
  }

  @Test
  @DisplayName("no product source (backend, Lambdas, codecs) holds the local stack's secret key")
  void productCodeHoldsNoLocalCredentials() throws IOException {
    Path root = LocalCloudSettings.checkoutRoot();
    for (String module : List.of("verticles", "lambdas", "codecs")) {
      try (Stream<Path> sources = Files.walk(root.resolve(module).resolve("src/main"))) {
        List<Path> holding = sources.filter(Files::isRegularFile)
            .filter(file -> read(file).contains(LocalCredentials.SECRET_ACCESS_KEY)).toList();
        assertThat(holding).as(module).isEmpty();
      }
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException(file + " is unreadable", e);
    }
  }
}
