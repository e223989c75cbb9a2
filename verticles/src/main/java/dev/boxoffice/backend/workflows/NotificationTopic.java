package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.codecs.notifications.Notification;
import dev.boxoffice.codecs.notifications.Notifications;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

/**
 * The notification topic of the email bus, through the AWS SDK's blocking {@link SnsClient} on a small worker pool of
 * its own (at most {@link #MAX_CONCURRENT_CALLS} calls in flight, no event loop waits on SNS). Each notification goes
 * as its JSON form with its type as the message attribute {@code type}, which the mail queues' subscriptions filter
 * on, as the Lambdas publish them.
 */
final class NotificationTopic implements AutoCloseable {

  /** PublishBatch takes at most ten entries. */
  static final int BATCH_SIZE = 10;
  static final int MAX_CONCURRENT_CALLS = 4;

  private final SnsClient client;
  private final WorkerExecutor workers;
  private final String topicArn;

  private NotificationTopic(SnsClient client, WorkerExecutor workers, String topicArn) {
    this.client = client;
    this.workers = workers;
    this.topicArn = topicArn;
  }

  /** A client of {@code topicArn} in {@code region}, at the endpoint of {@code settings} if it names one. */
  static NotificationTopic create(Vertx vertx, Config.BuyerNotifications settings, String topicArn, String region,
                                  AwsCredentialsProvider credentials) {
    SnsClientBuilder builder = SnsClient.builder()
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create());
    settings.snsEndpoint().ifPresent(builder::endpointOverride);
    return new NotificationTopic(builder.build(),
        vertx.createSharedWorkerExecutor("boxoffice-sns", MAX_CONCURRENT_CALLS), topicArn);
  }

  /**
   * Publishes up to {@link #BATCH_SIZE} notifications in one PublishBatch and completes with the entries SNS did not
   * take (their index in {@code batch}, and whether SNS says trying again may help); fails when the call as a whole
   * failed.
   */
  Future<List<Rejected>> publish(List<Notification> batch) {
    List<PublishBatchRequestEntry> entries = new ArrayList<>(batch.size());
    for (int index = 0; index < batch.size(); index++) {
      Notification notification = batch.get(index);
      entries.add(PublishBatchRequestEntry.builder()
          .id(Integer.toString(index))
          .message(Notifications.toJson(notification))
          .messageAttributes(Map.of(Notifications.TYPE_ATTRIBUTE, MessageAttributeValue.builder()
              .dataType("String").stringValue(notification.type()).build()))
          .build());
    }
    return workers.executeBlocking(() -> client.publishBatch(request -> request.topicArn(topicArn)
        .publishBatchRequestEntries(entries)).failed().stream().map(NotificationTopic::rejected).toList(), false);
  }

  /** An entry SNS did not publish: {@code senderFault} means it refuses that entry as such, and will again. */
  record Rejected(int index, String code, String message, boolean senderFault) {
  }

  private static Rejected rejected(BatchResultErrorEntry entry) {
    return new Rejected(Integer.parseInt(entry.id()), entry.code(), entry.message(),
        Boolean.TRUE.equals(entry.senderFault()));
  }

  /** Whether SNS refused the call as such (not a throttle, not its own fault), so that asking again cannot help. */
  static boolean refusedForGood(Throwable failure) {
    return failure instanceof SdkServiceException service && !service.isThrottlingException()
        && service.statusCode() < 500;
  }

  @Override
  public void close() {
    workers.close();
    client.close();
  }
}
