package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.store.IssuanceStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * Reads the issuance outcome queue (long polling, ten messages at a time, on a worker thread of its own) and writes
 * each chunk's outcome to PostgreSQL: its tickets ready, or its orders' tickets failed, and its batch finished once
 * nothing of it is pending. A message is deleted once its outcome is committed; one this backend could not write
 * comes back after the queue's visibility timeout, to this or another backend (an outcome applied twice changes
 * nothing). An unreadable message is logged and deleted: the sweep of overdue batches reads the execution's output
 * instead. Every backend reads the queue.
 */
public final class IssuanceOutcomeVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(IssuanceOutcomeVerticle.class);
  /**
   * Long polling, shorter than SQS's 20 s at most: a stopping backend waits for its last receive (which would
   * otherwise complete on a closed Vert.x), and 12 empty receives a minute cost nothing worth the wait.
   */
  private static final int WAIT_SECONDS = 5;
  private static final int MAX_MESSAGES = 10;
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofSeconds(30);

  private final IssuanceStore store;
  private final SqsClient sqs;
  private final String queueUrl;
  private WorkerExecutor receiver;
  private boolean stopping;
  private int failedPolls;
  private long timer = -1;
  private Future<?> polling = Future.succeededFuture();

  public IssuanceOutcomeVerticle(IssuanceStore store, SqsClient sqs, String queueUrl) {
    this.store = store;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  /** An SQS client for the backend's region and credentials, at {@code endpoint} when given (the local SQS). */
  public static SqsClient client(String region, AwsCredentialsProvider credentials, Optional<URI> endpoint) {
    SqsClientBuilder builder = SqsClient.builder()
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create());
    endpoint.ifPresent(builder::endpointOverride);
    return builder.build();
  }

  @Override
  public Future<?> start() {
    receiver = vertx.createSharedWorkerExecutor("boxoffice-issuance-outcomes", 1);
    poll();
    return Future.succeededFuture();
  }

  /** Waits for the receive in flight and the outcomes it brought; a message left unapplied comes back later. */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return polling.otherwiseEmpty().compose(ignored -> receiver.close());
  }

  private void poll() {
    if (stopping) {
      return;
    }
    polling = receiver.executeBlocking(() -> sqs.receiveMessage(receive -> receive.queueUrl(queueUrl)
            .maxNumberOfMessages(MAX_MESSAGES).waitTimeSeconds(WAIT_SECONDS)).messages(), false)
        .compose(this::applyAll)
        .onSuccess(done -> {
          failedPolls = 0;
          poll();
        })
        .onFailure(failure -> {
          if (stopping) {
            return;
          }
          if (failedPolls++ == 0) {
            LOG.warn("reading the issuance outcome queue failed; retrying with back-off until it answers", failure);
          }
          timer = vertx.setTimer(TicketIssuerVerticle.backoff(FIRST_RETRY, failedPolls, MAX_RETRY).toMillis(),
              ignored -> poll());
        });
  }

  private Future<Void> applyAll(List<Message> messages) {
    List<Future<Optional<Message>>> applied = new ArrayList<>();
    for (Message message : messages) {
      applied.add(apply(message));
    }
    return Future.join(applied).transform(done -> {
      List<DeleteMessageBatchRequestEntry> deletable = new ArrayList<>();
      for (Future<Optional<Message>> each : applied) {
        if (each.succeeded() && each.result().isPresent()) {
          Message message = each.result().get();
          deletable.add(DeleteMessageBatchRequestEntry.builder().id(message.messageId())
              .receiptHandle(message.receiptHandle()).build());
        }
      }
      Future<Void> deleted = deletable.isEmpty() ? Future.succeededFuture() : receiver.<Void>executeBlocking(() -> {
        sqs.deleteMessageBatch(delete -> delete.queueUrl(queueUrl).entries(deletable));
        return null;
      }, false);
      return done.failed() ? deleted.compose(ignored -> Future.<Void>failedFuture(done.cause())) : deleted;
    });
  }

  /** The message, once it may be deleted. */
  private Future<Optional<Message>> apply(Message message) {
    IssuanceOutcomes.Outcome outcome;
    try {
      outcome = IssuanceOutcomes.read(message.body());
    } catch (IllegalArgumentException unreadable) {
      LOG.error("issuance outcome message {} is unreadable ({}); deleted, the batch's sweep reads its execution",
          message.messageId(), unreadable.getMessage());
      return Future.succeededFuture(Optional.of(message));
    }
    return store.applyOutcome(outcome.batchId(), outcome.readyTickets(), outcome.qrKeys(), outcome.failedOrders())
        .map(Optional.of(message));
  }
}
