package dev.boxoffice.local.aws.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.servers.LoopbackPorts;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** ElasticMQ through the AWS SDK's default (JSON) protocol: what the mail pipeline relies on. */
class LocalSqsTest {

  private static LocalSqs sqs;
  private static SqsClient client;

  @BeforeAll
  static void start() {
    sqs = LocalSqs.start(LoopbackPorts.free());
    client = SqsClient.builder().endpointOverride(sqs.endpoint()).region(Region.of(LocalCredentials.REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
            LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY)))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  @AfterAll
  static void stop() {
    client.close();
    sqs.close();
  }

  @Test
  @DisplayName("queue ARNs are the local account's, and a message received too often moves to the dead-letter queue")
  void redrive() {
    String deadLetters = client.createQueue(create -> create.queueName("redrive-dlq")).queueUrl();
    String dlqArn = client.getQueueAttributes(get -> get.queueUrl(deadLetters)
        .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    assertThat(dlqArn).isEqualTo(LocalSqs.queueArn("redrive-dlq"));
    String queue = client.createQueue(create -> create.queueName("redrive").attributes(Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, "0",
        QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + dlqArn + "\",\"maxReceiveCount\":\"2\"}")))
        .queueUrl();

    client.sendMessage(send -> send.queueUrl(queue).messageBody("poison"));
    for (int receive = 1; receive <= 2; receive++) {
      List<Message> received = client.receiveMessage(get -> get.queueUrl(queue).waitTimeSeconds(1)).messages();
      assertThat(received).extracting(Message::body).containsExactly("poison");
    }
    assertThat(client.receiveMessage(get -> get.queueUrl(queue).waitTimeSeconds(1)).messages()).isEmpty();
    assertThat(client.receiveMessage(get -> get.queueUrl(deadLetters).waitTimeSeconds(1)).messages())
        .extracting(Message::body).containsExactly("poison");
  }
}
