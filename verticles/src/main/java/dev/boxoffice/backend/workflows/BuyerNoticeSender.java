package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.store.NoticeCatchUpStore;
import dev.boxoffice.codecs.notifications.Notification;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes buyer notices to the notification topic, up to {@link NotificationTopic#BATCH_SIZE} in one PublishBatch,
 * and records the domain events of those SNS took in one statement per batch, so that the notice catch-up leaves
 * them alone. The publisher and the catch-up both send through one of these.
 */
final class BuyerNoticeSender implements AutoCloseable {

  /** A buyer's notification and the domain event it tells of, the key of its record. */
  record BuyerNotice(UUID eventId, Notification notification) {
  }

  /** A notice and what SNS said of it. */
  record Rejection(BuyerNotice notice, String why) {
  }

  /**
   * What SNS did with a batch: it took {@code taken} of them (recorded), refuses {@code refused} as such (and would
   * again), and may take {@code retry} on another try (a throttle or its own fault).
   */
  record Outcome(int taken, List<Rejection> refused, List<Rejection> retry) {
  }

  private static final Logger LOG = LoggerFactory.getLogger(BuyerNoticeSender.class);

  private final NotificationTopic topic;
  private final NoticeCatchUpStore records;

  private BuyerNoticeSender(NotificationTopic topic, NoticeCatchUpStore records) {
    this.topic = topic;
    this.records = records;
  }

  static BuyerNoticeSender create(Vertx vertx, NotificationTarget target, NoticeCatchUpStore records) {
    return new BuyerNoticeSender(NotificationTopic.create(vertx, target.settings(), target.topicArn(),
        target.region(), target.credentials()), records);
  }

  /** Fails when the call as a whole failed ({@link NotificationTopic#refusedForGood} tells whether to try again). */
  Future<Outcome> send(List<BuyerNotice> batch) {
    return topic.publish(batch.stream().map(BuyerNotice::notification).toList()).compose(rejected -> {
      Set<Integer> notTaken = new HashSet<>();
      List<Rejection> refused = new ArrayList<>();
      List<Rejection> retry = new ArrayList<>();
      for (NotificationTopic.Rejected entry : rejected) {
        notTaken.add(entry.index());
        Rejection rejection = new Rejection(batch.get(entry.index()), entry.code() + " " + entry.message());
        (entry.senderFault() ? refused : retry).add(rejection);
      }
      List<UUID> taken = new ArrayList<>();
      for (int index = 0; index < batch.size(); index++) {
        if (!notTaken.contains(index)) {
          taken.add(batch.get(index).eventId());
        }
      }
      return record(taken).map(new Outcome(taken.size(), refused, retry));
    });
  }

  /** A record that cannot be written costs a second publish by the catch-up, which the mailer sends to nobody. */
  private Future<Void> record(List<UUID> taken) {
    if (taken.isEmpty()) {
      return Future.succeededFuture();
    }
    return records.recordPublished(taken).recover(failure -> {
      LOG.warn("could not record {} buyer notices SNS took; the catch-up publishes them again, the mailer sends each"
          + " once: {}", taken.size(), failure.toString());
      return Future.succeededFuture();
    });
  }

  @Override
  public void close() {
    topic.close();
  }
}
