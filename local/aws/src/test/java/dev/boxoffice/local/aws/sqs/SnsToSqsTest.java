package dev.boxoffice.local.aws.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.iam.ServicePolicies;
import dev.boxoffice.local.aws.mail.LocalMail;
import dev.boxoffice.local.aws.sns.LocalSns;
import dev.boxoffice.local.aws.sns.SnsQuotas;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;
import software.amazon.awssdk.services.sns.model.TooManyEntriesInBatchRequestException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * The local SNS delivering to SQS queues as AWS does: raw (body and attributes as sent) and in the JSON envelope, and
 * only to a queue whose policy lets the topic send to it.
 */
class SnsToSqsTest {

  @TempDir
  static Path dataDir;

  private static Vertx vertx;
  private static LocalSqs sqs;
  private static LocalMail mail;
  private static LocalSns sns;
  private static SqsClient sqsClient;
  private static SnsClient snsClient;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    LocalIam iam = LocalIam.builder(LocalCredentials.ACCOUNT, LocalCredentials.REGION,
            LocalCredentials.ADMINISTRATOR, true)
        .resourcePolicy(LocalSqs.queueArn("raw"), ServicePolicies.topicMaySendTo(LocalSqs.queueArn("raw"),
            topicArn("fan-out")))
        .resourcePolicy(LocalSqs.queueArn("enveloped"), ServicePolicies.topicMaySendTo(
            LocalSqs.queueArn("enveloped"), topicArn("fan-out")))
        .resourcePolicy(LocalSqs.queueArn("batches"), ServicePolicies.topicMaySendTo(LocalSqs.queueArn("batches"),
            topicArn("batches")))
        .resourcePolicy(LocalSqs.queueArn("witness"), ServicePolicies.topicMaySendTo(LocalSqs.queueArn("witness"),
            topicArn("unnamed")))
        .resourcePolicy(LocalSqs.queueArn("closed"), ServicePolicies.topicMaySendTo(LocalSqs.queueArn("closed"),
            topicArn("fan-out")))
        .build();
    sqs = LocalSqs.start(LoopbackPorts.free(), iam);
    mail = LocalMail.start(vertx, 0, 0).await(30, TimeUnit.SECONDS);
    sns = LocalSns.start(vertx, dataDir, 0, new LocalSns.Endpoints(mail.mailer(),
        (function, payload) -> Future.succeededFuture("null"), sqs.endpoint()), iam,
        SnsQuotas.aws(LocalCredentials.REGION)).await(30, TimeUnit.SECONDS);
    var credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create(LocalCredentials.ACCESS_KEY_ID,
        LocalCredentials.SECRET_ACCESS_KEY));
    sqsClient = SqsClient.builder().endpointOverride(sqs.endpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    snsClient = SnsClient.builder().endpointOverride(sns.snsEndpoint()).region(Region.US_EAST_1)
        .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }

  @AfterAll
  static void stop() throws Exception {
    snsClient.close();
    sqsClient.close();
    sns.stop().await(10, TimeUnit.SECONDS);
    mail.stop().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    sqs.close();
  }

  @Test
  @DisplayName("a raw subscription gets the message and its attributes as they were published, an enveloped one "
      + "the SNS notification JSON; neither needs confirming")
  void rawAndEnveloped() {
    String topic = snsClient.createTopic(create -> create.name("fan-out")).topicArn();
    String rawQueue = sqsClient.createQueue(create -> create.queueName("raw")).queueUrl();
    String envelopedQueue = sqsClient.createQueue(create -> create.queueName("enveloped")).queueUrl();
    snsClient.subscribe(subscribe -> subscribe.topicArn(topic).protocol("sqs").endpoint(LocalSqs.queueArn("raw"))
        .attributes(Map.of("RawMessageDelivery", "true")));
    snsClient.subscribe(subscribe -> subscribe.topicArn(topic).protocol("sqs")
        .endpoint(LocalSqs.queueArn("enveloped")));

    String messageId = snsClient.publish(publish -> publish.topicArn(topic).subject("Hello")
        .message("{\"type\":\"tickets-ready\"}")
        .messageAttributes(Map.of("type", MessageAttributeValue.builder().dataType("String")
            .stringValue("tickets-ready").build()))).messageId();

    Message raw = receiveOne(rawQueue);
    assertThat(raw.body()).isEqualTo("{\"type\":\"tickets-ready\"}");
    assertThat(raw.messageAttributes().get("type").stringValue()).isEqualTo("tickets-ready");
    JsonObject envelope = new JsonObject(receiveOne(envelopedQueue).body());
    assertThat(envelope.getString("Type")).isEqualTo("Notification");
    assertThat(envelope.getString("MessageId")).isEqualTo(messageId);
    assertThat(envelope.getString("TopicArn")).isEqualTo(topic);
    assertThat(envelope.getString("Subject")).isEqualTo("Hello");
    assertThat(envelope.getString("Message")).isEqualTo("{\"type\":\"tickets-ready\"}");
    assertThat(envelope.getJsonObject("MessageAttributes").getJsonObject("type").getString("Value"))
        .isEqualTo("tickets-ready");
  }

  @Test
  @DisplayName("PublishBatch publishes each valid entry, fails an invalid one on its own, and refuses 11 entries")
  void publishBatch() {
    String topic = snsClient.createTopic(create -> create.name("batches")).topicArn();
    String queue = sqsClient.createQueue(create -> create.queueName("batches")).queueUrl();
    snsClient.subscribe(subscribe -> subscribe.topicArn(topic).protocol("sqs").endpoint(LocalSqs.queueArn("batches"))
        .attributes(Map.of("RawMessageDelivery", "true")));
    List<PublishBatchRequestEntry> entries = new ArrayList<>();
    for (int index = 0; index < 9; index++) {
      int number = index;
      entries.add(PublishBatchRequestEntry.builder().id("m" + number).message("message " + number).build());
    }
    entries.add(PublishBatchRequestEntry.builder().id("bad").message("").build());

    PublishBatchResponse answer = snsClient.publishBatch(batch -> batch.topicArn(topic).publishBatchRequestEntries(
        entries));

    assertThat(answer.successful()).hasSize(9);
    assertThat(answer.failed()).singleElement().satisfies(failed -> {
      assertThat(failed.id()).isEqualTo("bad");
      assertThat(failed.senderFault()).isTrue();
    });
    List<String> bodies = new ArrayList<>();
    while (bodies.size() < 9) {
      sqsClient.receiveMessage(receive -> receive.queueUrl(queue).maxNumberOfMessages(10).waitTimeSeconds(2))
          .messages().forEach(message -> bodies.add(message.body()));
    }
    assertThat(bodies).containsExactlyInAnyOrder("message 0", "message 1", "message 2", "message 3", "message 4",
        "message 5", "message 6", "message 7", "message 8");

    List<PublishBatchRequestEntry> tooMany = new ArrayList<>(entries.subList(0, 9));
    tooMany.add(PublishBatchRequestEntry.builder().id("m9").message("nine").build());
    tooMany.add(PublishBatchRequestEntry.builder().id("m10").message("ten").build());
    assertThatThrownBy(() -> snsClient.publishBatch(batch -> batch.topicArn(topic).publishBatchRequestEntries(tooMany)))
        .isInstanceOf(TooManyEntriesInBatchRequestException.class);
  }

  @Test
  @DisplayName("a queue whose policy lets another topic send gets nothing from this one, as in AWS, while a queue "
      + "that names it gets the message")
  void queuePolicyDecides() {
    String topic = snsClient.createTopic(create -> create.name("unnamed")).topicArn();
    String witness = sqsClient.createQueue(create -> create.queueName("witness")).queueUrl();
    String closed = sqsClient.createQueue(create -> create.queueName("closed")).queueUrl();
    snsClient.subscribe(subscribe -> subscribe.topicArn(topic).protocol("sqs").endpoint(LocalSqs.queueArn("witness"))
        .attributes(Map.of("RawMessageDelivery", "true")));
    snsClient.subscribe(subscribe -> subscribe.topicArn(topic).protocol("sqs").endpoint(LocalSqs.queueArn("closed"))
        .attributes(Map.of("RawMessageDelivery", "true")));

    snsClient.publish(publish -> publish.topicArn(topic).message("for the witness only"));

    assertThat(receiveOne(witness).body()).isEqualTo("for the witness only");
    assertThat(sqsClient.receiveMessage(receive -> receive.queueUrl(closed).waitTimeSeconds(2)).messages())
        .as("the closed queue's policy names another topic").isEmpty();
  }

  private static String topicArn(String name) {
    return "arn:aws:sns:" + LocalCredentials.REGION + ":" + LocalCredentials.ACCOUNT + ":" + name;
  }

  private static Message receiveOne(String queue) {
    for (int attempt = 0; attempt < 10; attempt++) {
      List<Message> messages = sqsClient.receiveMessage(receive -> receive.queueUrl(queue).waitTimeSeconds(1)
          .messageAttributeNames("All")).messages();
      if (!messages.isEmpty()) {
        return messages.getFirst();
      }
    }
    throw new AssertionError("nothing arrived in " + queue);
  }
}
