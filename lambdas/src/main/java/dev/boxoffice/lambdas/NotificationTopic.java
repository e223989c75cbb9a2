package dev.boxoffice.lambdas;

import dev.boxoffice.codecs.notifications.Notification;
import dev.boxoffice.codecs.notifications.Notifications;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;

/**
 * The notification topic ({@code BOXOFFICE_NOTIFICATION_TOPIC_ARN}), the bus every email goes through: each
 * notification published as its JSON form with its type as the message attribute {@code type}.
 */
final class NotificationTopic {

  static final String TOPIC_ARN = "BOXOFFICE_NOTIFICATION_TOPIC_ARN";
  /** PublishBatch takes at most ten entries. */
  static final int BATCH_SIZE = 10;

  private static final int BATCH_ATTEMPTS = 3;

  private final SnsClient sns;
  private final String topicArn;

  NotificationTopic(SnsClient sns, String topicArn) {
    this.sns = sns;
    this.topicArn = topicArn;
  }

  void publish(Notification notification) {
    sns.publish(publish -> publish.topicArn(topicArn).message(Notifications.toJson(notification))
        .messageAttributes(attributes(notification)));
  }

  /**
   * Publishes every notification, ten per PublishBatch, trying entries SNS failed again; fails when some still
   * cannot be published, so the caller's retry publishes the whole list again (the mailer sends each id once).
   */
  void publishAll(List<? extends Notification> notifications) {
    for (int from = 0; from < notifications.size(); from += BATCH_SIZE) {
      List<PublishBatchRequestEntry> entries = new ArrayList<>();
      List<? extends Notification> batch = notifications.subList(from, Math.min(notifications.size(), from + BATCH_SIZE));
      for (int index = 0; index < batch.size(); index++) {
        entries.add(PublishBatchRequestEntry.builder().id("n" + index)
            .message(Notifications.toJson(batch.get(index))).messageAttributes(attributes(batch.get(index))).build());
      }
      for (int attempt = 1; !entries.isEmpty(); attempt++) {
        List<PublishBatchRequestEntry> pending = entries;
        List<BatchResultErrorEntry> failed = sns.publishBatch(publish -> publish.topicArn(topicArn)
            .publishBatchRequestEntries(pending)).failed();
        if (!failed.isEmpty() && attempt == BATCH_ATTEMPTS) {
          throw new IllegalStateException(failed.size() + " notifications could not be published: "
              + failed.getFirst().code() + " " + failed.getFirst().message());
        }
        List<String> failedIds = failed.stream().map(BatchResultErrorEntry::id).toList();
        entries = pending.stream().filter(entry -> failedIds.contains(entry.id())).toList();
      }
    }
  }

  private static Map<String, MessageAttributeValue> attributes(Notification notification) {
    return Map.of(Notifications.TYPE_ATTRIBUTE,
        MessageAttributeValue.builder().dataType("String").stringValue(notification.type()).build());
  }
}
