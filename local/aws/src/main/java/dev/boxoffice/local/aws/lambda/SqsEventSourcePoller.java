package dev.boxoffice.local.aws.lambda;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.cloudformation.EventSourceMappingDefinition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;

/**
 * An SQS event source mapping, run as Lambda's pollers run it: up to {@code MaximumConcurrency} pollers (5 when the
 * template sets none), each long-polling the queue, gathering up to {@code BatchSize} messages within
 * {@code MaximumBatchingWindowInSeconds}, invoking the function with the SQS event and deleting what it processed:
 * the whole batch on success, all but the reported {@code batchItemFailures} with {@code ReportBatchItemFailures}, none
 * when the invocation fails (a malformed failure report fails the whole batch, as in Lambda). What is not deleted
 * comes back after the queue's visibility timeout, and the queue's redrive policy moves it to its dead-letter queue
 * after {@code maxReceiveCount} receives.
 */
public final class SqsEventSourcePoller implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SqsEventSourcePoller.class);
  private static final int DEFAULT_CONCURRENCY = 5;
  private static final int MAX_MESSAGES_PER_RECEIVE = 10;
  private static final int LONG_POLL_SECONDS = 2;
  private static final Duration INVOCATION_PATIENCE = Duration.ofMinutes(16);
  private static final Duration PAUSE_AFTER_FAILURE = Duration.ofSeconds(1);

  private final EventSourceMappingDefinition mapping;
  private final SqsClient sqs;
  private final LambdaInvoker lambdas;
  private final String queueUrl;
  private final ExecutorService pollers;
  private volatile boolean running = true;

  private SqsEventSourcePoller(EventSourceMappingDefinition mapping, SqsClient sqs, LambdaInvoker lambdas,
      String queueUrl, int concurrency) {
    this.mapping = mapping;
    this.sqs = sqs;
    this.lambdas = lambdas;
    this.queueUrl = queueUrl;
    this.pollers = Executors.newFixedThreadPool(concurrency,
        Thread.ofPlatform().daemon().name("sqs-poller-" + mapping.logicalId() + "-", 1).factory());
  }

  /**
   * Starts polling the mapping's queue with {@code sqs} (signed as the function's role, as Lambda's pollers are) and
   * invoking its function through {@code lambdas}.
   */
  public static SqsEventSourcePoller start(EventSourceMappingDefinition mapping, SqsClient sqs,
      LambdaInvoker lambdas) {
    // The queue's URL from its ARN, as Lambda's pollers know it: the function's role needs no sqs:GetQueueUrl.
    String[] arn = mapping.queueArn().split(":");
    String name = arn[5];
    String queueUrl = sqs.serviceClientConfiguration().endpointOverride()
        .orElseThrow(() -> new IllegalArgumentException("the SQS client of " + mapping.logicalId()
            + " has no local endpoint"))
        .resolve("/" + arn[4] + "/" + name).toString();
    int concurrency = mapping.maximumConcurrency() > 0 ? mapping.maximumConcurrency() : DEFAULT_CONCURRENCY;
    SqsEventSourcePoller poller = new SqsEventSourcePoller(mapping, sqs, lambdas, queueUrl, concurrency);
    if (mapping.enabled()) {
      for (int slot = 0; slot < concurrency; slot++) {
        poller.pollers.execute(poller::poll);
      }
    }
    LOG.info("{}: {} poller(s) feed {} from {} in batches of up to {}", mapping.logicalId(), concurrency,
        mapping.functionName(), name, mapping.batchSize());
    return poller;
  }

  private void poll() {
    while (running) {
      try {
        List<Message> batch = nextBatch();
        if (!batch.isEmpty()) {
          process(batch);
        }
      } catch (SdkException | IllegalStateException failure) {
        if (running) {
          LOG.warn("{}: polling failed, trying again: {}", mapping.logicalId(), failure.getMessage());
          pause();
        }
      }
    }
  }

  /** Waits for a first message, then gathers more until the batch is full or the batching window has passed. */
  private List<Message> nextBatch() {
    List<Message> batch = new ArrayList<>(receive(LONG_POLL_SECONDS));
    long windowEnds = System.nanoTime() + Duration.ofSeconds(mapping.batchingWindowSeconds()).toNanos();
    while (running && !batch.isEmpty() && batch.size() < mapping.batchSize() && System.nanoTime() < windowEnds) {
      List<Message> more = receive(0);
      if (more.isEmpty()) {
        sleepBriefly();
      }
      batch.addAll(more);
    }
    return batch;
  }

  private List<Message> receive(int waitSeconds) {
    return sqs.receiveMessage(receive -> receive.queueUrl(queueUrl)
        .maxNumberOfMessages(Math.min(MAX_MESSAGES_PER_RECEIVE, mapping.batchSize()))
        .waitTimeSeconds(waitSeconds)
        .messageSystemAttributeNames(MessageSystemAttributeName.ALL)
        .messageAttributeNames("All")).messages();
  }

  private void process(List<Message> batch) {
    String response;
    try {
      response = lambdas.invoke(mapping.functionName(), event(batch).encode()).toCompletionStage()
          .toCompletableFuture().get(INVOCATION_PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (Exception failed) {
      LOG.warn("{}: {} failed on a batch of {}; its messages come back after the visibility timeout: {}",
          mapping.logicalId(), mapping.functionName(), batch.size(), failed.getMessage());
      return;
    }
    delete(processed(batch, response));
  }

  /** The messages to delete: all of them, or with failure reports all but the reported ones. */
  private List<Message> processed(List<Message> batch, String response) {
    if (!mapping.reportBatchItemFailures()) {
      return batch;
    }
    Set<String> ids = new HashSet<>();
    batch.forEach(message -> ids.add(message.messageId()));
    Set<String> failed = new HashSet<>();
    try {
      JsonObject answer = response == null || response.isBlank() || response.equals("null")
          ? new JsonObject() : new JsonObject(response);
      for (Object failure : answer.getJsonArray("batchItemFailures", new JsonArray())) {
        String id = ((JsonObject) failure).getString("itemIdentifier");
        if (id == null || !ids.contains(id)) {
          LOG.warn("{}: the function reported a failure of {}, not a message of its batch; the whole batch is "
              + "retried", mapping.logicalId(), id);
          return List.of();
        }
        failed.add(id);
      }
    } catch (RuntimeException malformed) {
      LOG.warn("{}: the function's answer is no batch response; the whole batch is retried", mapping.logicalId());
      return List.of();
    }
    return batch.stream().filter(message -> !failed.contains(message.messageId())).toList();
  }

  private void delete(List<Message> messages) {
    for (int from = 0; from < messages.size(); from += MAX_MESSAGES_PER_RECEIVE) {
      List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
      for (Message message : messages.subList(from, Math.min(messages.size(), from + MAX_MESSAGES_PER_RECEIVE))) {
        entries.add(DeleteMessageBatchRequestEntry.builder().id(message.messageId())
            .receiptHandle(message.receiptHandle()).build());
      }
      sqs.deleteMessageBatch(delete -> delete.queueUrl(queueUrl).entries(entries));
    }
  }

  /** The event Lambda hands a function for a batch of SQS messages. */
  private JsonObject event(List<Message> batch) {
    JsonArray records = new JsonArray();
    for (Message message : batch) {
      JsonObject attributes = new JsonObject();
      message.attributes().forEach((name, value) -> attributes.put(name.toString(), value));
      JsonObject messageAttributes = new JsonObject();
      for (Map.Entry<String, MessageAttributeValue> attribute : message.messageAttributes().entrySet()) {
        MessageAttributeValue value = attribute.getValue();
        messageAttributes.put(attribute.getKey(), new JsonObject()
            .put("stringValue", value.stringValue())
            .put("stringListValues", new JsonArray())
            .put("binaryListValues", new JsonArray())
            .put("dataType", value.dataType()));
      }
      records.add(new JsonObject()
          .put("messageId", message.messageId())
          .put("receiptHandle", message.receiptHandle())
          .put("body", message.body())
          .put("attributes", attributes)
          .put("messageAttributes", messageAttributes)
          .put("md5OfBody", message.md5OfBody())
          .put("eventSource", "aws:sqs")
          .put("eventSourceARN", mapping.queueArn())
          .put("awsRegion", LocalCredentials.REGION));
    }
    return new JsonObject().put("Records", records);
  }

  private void pause() {
    try {
      Thread.sleep(PAUSE_AFTER_FAILURE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sleepBriefly() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    pollers.shutdownNow();
    try {
      pollers.awaitTermination(LONG_POLL_SECONDS + 5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
