package dev.boxoffice.local.aws.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.cloudformation.EventSourceMappingDefinition;
import dev.boxoffice.local.aws.sqs.LocalSqs;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * The local SQS event source mapping against ElasticMQ: batches, partial batch failures, a failed invocation, the
 * redrive policy.
 */
class SqsEventSourcePollerTest {

  private static LocalSqs sqs;
  private static SqsClient client;

  @BeforeAll
  static void start() {
    sqs = LocalSqs.start(LoopbackPorts.free());
    client = SqsClient.builder().endpointOverride(sqs.endpoint()).region(Region.US_EAST_1)
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
  @DisplayName("reported failures and a failed invocation come back, the rest is deleted once, a poison message "
      + "ends in the dead-letter queue after maxReceiveCount receives")
  void partialFailuresAndRedrive() throws Exception {
    String deadLetters = client.createQueue(create -> create.queueName("work-dlq")).queueUrl();
    String queue = client.createQueue(create -> create.queueName("work").attributes(Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, "1",
        QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + LocalSqs.queueArn("work-dlq")
            + "\",\"maxReceiveCount\":\"3\"}"))).queueUrl();
    for (int index = 0; index < 12; index++) {
      int number = index;
      client.sendMessage(send -> send.queueUrl(queue).messageBody("ok-" + number));
    }
    client.sendMessage(send -> send.queueUrl(queue).messageBody("fail-once"));
    client.sendMessage(send -> send.queueUrl(queue).messageBody("crash-once"));
    client.sendMessage(send -> send.queueUrl(queue).messageBody("poison"));

    Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    LambdaInvoker function = (name, payload) -> {
      JsonArray records = new JsonObject(payload).getJsonArray("Records");
      batchSizes.add(records.size());
      JsonArray failures = new JsonArray();
      boolean crash = false;
      for (Object each : records) {
        JsonObject record = (JsonObject) each;
        assertThat(record.getString("eventSource")).isEqualTo("aws:sqs");
        assertThat(record.getString("eventSourceARN")).isEqualTo(LocalSqs.queueArn("work"));
        String body = record.getString("body");
        int seen = deliveries.computeIfAbsent(body, ignored -> new AtomicInteger()).incrementAndGet();
        if (body.equals("poison") || body.equals("fail-once") && seen == 1) {
          failures.add(new JsonObject().put("itemIdentifier", record.getString("messageId")));
        }
        crash |= body.equals("crash-once") && seen == 1;
      }
      return crash
          ? Future.failedFuture(new LambdaFunctionError("java.lang.IllegalStateException", "crash", null))
          : Future.succeededFuture(new JsonObject().put("batchItemFailures", failures).encode());
    };
    EventSourceMappingDefinition mapping = new EventSourceMappingDefinition("WorkMapping", LocalSqs.queueArn("work"),
        "worker", 5, 0, true, 2, true);

    try (SqsEventSourcePoller poller = SqsEventSourcePoller.start(mapping, client, function)) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      List<Message> dead = List.of();
      while (dead.isEmpty() && System.nanoTime() < deadline) {
        dead = client.receiveMessage(receive -> receive.queueUrl(deadLetters).waitTimeSeconds(1)).messages();
      }
      assertThat(dead).extracting(Message::body).containsExactly("poison");
    }

    assertThat(batchSizes).allMatch(size -> size >= 1 && size <= 5);
    for (int index = 0; index < 12; index++) {
      String body = "ok-" + index;
      assertThat(deliveries.get(body)).as(body).isNotNull();
    }
    assertThat(deliveries.get("poison").get()).as("received maxReceiveCount times").isEqualTo(3);
    assertThat(deliveries.get("fail-once").get()).isEqualTo(2);
    assertThat(deliveries.get("crash-once").get()).isEqualTo(2);
    long okRedelivered = deliveries.entrySet().stream()
        .filter(entry -> entry.getKey().startsWith("ok-") && entry.getValue().get() > 1)
        .count();
    assertThat(okRedelivered).as("only messages batched with crash-once come again").isLessThanOrEqualTo(4);
    assertThat(client.receiveMessage(receive -> receive.queueUrl(queue).waitTimeSeconds(2)).messages()).isEmpty();
  }
}
