package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.outbox.OutboxRelayVerticle;
import dev.boxoffice.backend.store.NoticeCatchUpStore;
import dev.boxoffice.backend.store.NotificationStore;
import dev.boxoffice.backend.workflows.BuyerNoticeSender.BuyerNotice;
import dev.boxoffice.backend.workflows.BuyerNoticeSender.Rejection;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.notifications.Notification;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells buyers by email what the outbox's HoldExpired, PaymentDeclined, PaymentRefunded and OrderCancelled say (an
 * event cancellation tells each of its orders' buyers through that order's OrderCancelled): each becomes its
 * {@link BuyerNotices notification}, published to the notification topic ten to a PublishBatch (gathered for at most
 * {@link #LINGER}), which SNS counts as ten publishes of its quota in one request. Must be deployed before the outbox
 * relay, like the workflow starter.
 *
 * <p>A relayed-again event publishes the same notification id again and the mailer, which sends each id once, mails
 * nobody twice. A call SNS throttled or failed on its side, or an entry it could not take for the same reasons, is
 * tried again with exponential back-off ({@link #FIRST_RETRY}, doubling, up to {@link #MAX_ATTEMPTS} attempts), and
 * so is reading the notification while PostgreSQL does not answer; an entry refused as such is logged and dropped,
 * and so is what still fails when the backend stops. What SNS took is recorded by its domain event
 * ({@link BuyerNoticeSender}); the relayed notice events without a record, because this gave up on them or the backend
 * died before SNS took them, are published by {@link NoticeCatchUpVerticle} once this can no longer be retrying them.
 * Each backend counts what it published in {@code boxoffice_buyer_notifications_published_total} and what it gave up
 * on in {@code boxoffice_buyer_notifications_failed_total}.
 */
public final class NotificationPublisherVerticle extends VerticleBase {

  static final Duration LINGER = Duration.ofMillis(25);
  static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  static final int MAX_ATTEMPTS = 8;
  /** The longest this keeps retrying one notice: reading it, then publishing it, each through every back-off. */
  static final Duration LONGEST_RETRY = FIRST_RETRY.multipliedBy(2 * ((1L << (MAX_ATTEMPTS - 1)) - 1));

  private static final Logger LOG = LoggerFactory.getLogger(NotificationPublisherVerticle.class);

  private final BuyerNotices notices;
  private final NotificationTarget target;
  private final NoticeCatchUpStore records;
  private final Counter published;
  private final Counter failed;
  private final List<MessageConsumer<DomainEvent>> consumers = new ArrayList<>();
  private final List<BuyerNotice> gathering = new ArrayList<>();
  private final Set<Future<?>> inFlight = new HashSet<>();
  private BuyerNoticeSender sender;
  private long lingerTimer = -1;
  private boolean stopping;

  /** Publishes to {@code target}, recording what SNS took in {@code records}. */
  public NotificationPublisherVerticle(NotificationStore store, NoticeCatchUpStore records, NotificationTarget target,
                                       MeterRegistry metrics) {
    this.notices = new BuyerNotices(store);
    this.target = target;
    this.records = records;
    this.published = Counter.builder("boxoffice.buyer.notifications.published")
        .description("Buyer notifications (hold expired, payment declined or refunded, order cancelled) SNS took")
        .register(metrics);
    this.failed = Counter.builder("boxoffice.buyer.notifications.failed")
        .description("Buyer notifications given up on: refused by SNS, or still failing after every retry")
        .register(metrics);
  }

  @Override
  public Future<?> start() {
    sender = BuyerNoticeSender.create(vertx, target, records);
    List<Future<Void>> registered = new ArrayList<>();
    for (String type : BuyerNotices.TYPES) {
      MessageConsumer<DomainEvent> consumer = vertx.eventBus().consumer(OutboxRelayVerticle.addressOf(type),
          message -> notify(message.body()));
      consumers.add(consumer);
      registered.add(consumer.completion());
    }
    return Future.all(registered);
  }

  /**
   * Stops taking events, waits for the notifications being read, publishes what it gathered and waits for the calls
   * in flight (retries included).
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList())
        .eventually(() -> Future.all(List.copyOf(inFlight)).otherwiseEmpty())
        .eventually(() -> {
          sendGathered();
          return Future.all(List.copyOf(inFlight)).otherwiseEmpty();
        })
        .eventually(() -> {
          sender.close();
          return Future.succeededFuture();
        });
  }

  private void notify(DomainEvent event) {
    track(read(event, 1)
        .onSuccess(notification -> notification.ifPresent(told -> gather(new BuyerNotice(event.id(), told))))
        .onFailure(failure -> {
          failed.increment();
          LOG.error("could not read what {} {} tells its buyer; no email for it", event.type(), event.id(), failure);
        }));
  }

  /** The event's notification, read again with back-off while PostgreSQL does not answer. */
  private Future<Optional<Notification>> read(DomainEvent event, int attempt) {
    return notices.of(event).recover(failure -> attempt >= MAX_ATTEMPTS || stopping
        ? Future.failedFuture(failure)
        : vertx.timer(FIRST_RETRY.toMillis() << (attempt - 1)).compose(ignored -> read(event, attempt + 1)));
  }

  private void gather(BuyerNotice notice) {
    gathering.add(notice);
    if (gathering.size() == NotificationTopic.BATCH_SIZE) {
      sendGathered();
    } else if (lingerTimer == -1) {
      lingerTimer = vertx.setTimer(LINGER.toMillis(), ignored -> sendGathered());
    }
  }

  private void sendGathered() {
    vertx.cancelTimer(lingerTimer);
    lingerTimer = -1;
    if (gathering.isEmpty()) {
      return;
    }
    List<BuyerNotice> batch = List.copyOf(gathering);
    gathering.clear();
    track(publish(batch, 1));
  }

  private Future<Void> publish(List<BuyerNotice> batch, int attempt) {
    return sender.send(batch).compose(
        outcome -> {
          published.increment(outcome.taken());
          outcome.refused().forEach(refused -> giveUp(refused.notice().notification(), refused.why()));
          return outcome.retry().isEmpty() ? Future.succeededFuture()
              : later(outcome.retry().stream().map(Rejection::notice).toList(), attempt,
                  outcome.retry().getFirst().why());
        },
        failure -> NotificationTopic.refusedForGood(failure)
            ? giveUpAll(batch, failure.toString())
            : later(batch, attempt, failure.toString()));
  }

  /** A stopping backend tries no more: the stop must end within ECS's stop timeout. */
  private Future<Void> later(List<BuyerNotice> batch, int attempt, String why) {
    if (attempt >= MAX_ATTEMPTS || stopping) {
      return giveUpAll(batch, why);
    }
    long delay = FIRST_RETRY.toMillis() << (attempt - 1);
    LOG.debug("{} buyer notifications not published (attempt {}), retrying in {} ms: {}", batch.size(), attempt,
        delay, why);
    return vertx.timer(delay).compose(ignored -> publish(batch, attempt + 1));
  }

  private Future<Void> giveUpAll(List<BuyerNotice> batch, String why) {
    batch.forEach(notice -> giveUp(notice.notification(), why));
    return Future.succeededFuture();
  }

  private void giveUp(Notification notification, String why) {
    failed.increment();
    LOG.error("gave up publishing buyer notification {} ({}): {}", notification.id(), notification.type(), why);
  }

  private void track(Future<?> work) {
    inFlight.add(work);
    work.onComplete(ignored -> inFlight.remove(work));
  }
}
