package dev.boxoffice.local.aws.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.iam.AccessKey;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.iam.ServicePolicies;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.json.JsonArray;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/**
 * The local SQS checks every call as AWS does: a signature from a known key, then the caller's policies on the queue
 * ({@code sqs:SendMessage} covers SendMessageBatch, as SQS's IAM table says).
 */
class SqsAccessTest {

  private static final String SENDER_ROLE = "arn:aws:iam::" + LocalCredentials.ACCOUNT + ":role/sender";

  private static LocalSqs sqs;
  private static LocalIam iam;
  private static SqsClient admin;
  private static SqsClient sender;
  private static String outbox;
  private static String other;

  @BeforeAll
  static void start() {
    iam = LocalIam.builder(LocalCredentials.ACCOUNT, LocalCredentials.REGION, LocalCredentials.ADMINISTRATOR, true)
        .role(SENDER_ROLE, "sender-session", ServicePolicies.allow(new JsonArray().add("sqs:SendMessage"),
            new JsonArray().add(LocalSqs.queueArn("outbox"))))
        .build();
    sqs = LocalSqs.start(LoopbackPorts.free(), iam);
    admin = client(StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalCredentials.ACCESS_KEY_ID,
        LocalCredentials.SECRET_ACCESS_KEY)));
    AccessKey key = iam.session(SENDER_ROLE).key();
    sender = client(StaticCredentialsProvider.create(AwsSessionCredentials.create(key.accessKeyId(),
        key.secretAccessKey(), key.sessionToken())));
    outbox = admin.createQueue(create -> create.queueName("outbox")).queueUrl();
    other = admin.createQueue(create -> create.queueName("other")).queueUrl();
  }

  @AfterAll
  static void stop() {
    sender.close();
    admin.close();
    sqs.close();
  }

  @Test
  @DisplayName("a role allowed sqs:SendMessage on one queue sends there, singly and in batches, and is refused "
      + "ReceiveMessage and another queue with AccessDenied (403)")
  void rolePolicies() {
    sender.sendMessage(send -> send.queueUrl(outbox).messageBody("one"));
    assertThat(sender.sendMessageBatch(batch -> batch.queueUrl(outbox).entries(
        SendMessageBatchRequestEntry.builder().id("a").messageBody("two").build())).successful()).hasSize(1);

    assertThatThrownBy(() -> sender.receiveMessage(receive -> receive.queueUrl(outbox)))
        .isInstanceOfSatisfying(SqsException.class, refused -> {
          assertThat(refused.statusCode()).isEqualTo(403);
          assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
          assertThat(refused.getMessage()).contains("assumed-role/sender/sender-session")
              .contains("sqs:ReceiveMessage");
        });
    assertThatThrownBy(() -> sender.sendMessage(send -> send.queueUrl(other).messageBody("elsewhere")))
        .isInstanceOfSatisfying(SqsException.class, refused ->
            assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("AccessDenied"));
    assertThat(admin.receiveMessage(receive -> receive.queueUrl(other).waitTimeSeconds(1)).messages()).isEmpty();
  }

  @Test
  @DisplayName("a key nobody was given is InvalidClientTokenId; an unsigned query-protocol call is "
      + "MissingAuthenticationToken in SQS's XML error")
  void authentication() throws Exception {
    try (SqsClient stranger = client(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIASTRANGER",
        "not-a-secret")))) {
      assertThatThrownBy(() -> stranger.listQueues())
          .isInstanceOfSatisfying(SqsException.class, refused ->
              assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("InvalidClientTokenId"));
    }
    HttpResponse<String> unsigned = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sqs.endpoint().resolve("/"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("Action=ListQueues&Version=2012-11-05")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.body()).contains("<Code>MissingAuthenticationToken</Code>");
  }

  private static SqsClient client(AwsCredentialsProvider credentials) {
    return SqsClient.builder().endpointOverride(URI.create(sqs.endpoint().toString()))
        .region(Region.of(LocalCredentials.REGION)).credentialsProvider(credentials)
        .overrideConfiguration(override -> override.retryStrategy(retry -> retry.maxAttempts(1)))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }
}
