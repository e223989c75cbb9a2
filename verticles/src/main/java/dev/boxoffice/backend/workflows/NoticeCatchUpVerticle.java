package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.store.NoticeCatchUpStore;
import dev.boxoffice.backend.store.NoticeCatchUpStore.RelayedNotice;
import dev.boxoffice.backend.store.NotificationStore;
import dev.boxoffice.backend.workflows.BuyerNoticeSender.BuyerNotice;
import dev.boxoffice.backend.workflows.BuyerNoticeSender.Rejection;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.DomainEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the buyer notices SNS never took although their domain event was relayed: the backend died between
 * relaying the event and SNS accepting its notice (kill -9, out of memory, ECS replacing the task), or the publisher
 * gave up after its retries (SNS down for minutes). Every {@link #INTERVAL} it reads the notice events after its cursor
 * in {@code notice_catch_up}, as far as those relayed more than {@code settleTime} ago (at once again while a full
 * batch was settled), and publishes, in outbox order and ten to a PublishBatch, those without a record in
 * {@code buyer_notices_published}, recording them in turn.
 *
 * <p>The settle time ({@link #SETTLE_TIME} by default) outlasts the publisher's retries of a notice, so a notice is
 * published here only when no publisher is still at it, and normally never twice. A backend that dies after SNS took a
 * notice and before its record was written gets it published again, and the mailer, which sends each notification id
 * once, mails nobody twice. One backend at a time catches up (an advisory lock per round); a batch SNS does not take
 * is tried again from there at the next round. Each backend counts the notices it published in
 * {@code boxoffice_buyer_notifications_caught_up_total}.
 */
public final class NoticeCatchUpVerticle extends VerticleBase {

  public static final Duration INTERVAL = Duration.ofSeconds(5);
  public static final Duration SETTLE_TIME = NotificationPublisherVerticle.LONGEST_RETRY.plus(Duration.ofMinutes(1));
  static final int BATCH_SIZE = 500;

  private static final Logger LOG = LoggerFactory.getLogger(NoticeCatchUpVerticle.class);

  private final NoticeCatchUpStore outbox;
  private final BuyerNotices notices;
  private final NotificationTarget target;
  private final Duration settleTime;
  private final Counter caughtUp;
  private final Counter failed;
  private BuyerNoticeSender sender;
  private boolean stopping;
  private boolean failing;
  private long timer = -1;
  private Future<?> round = Future.succeededFuture();

  public NoticeCatchUpVerticle(NoticeCatchUpStore outbox, NotificationStore store, NotificationTarget target,
                               Duration settleTime, MeterRegistry metrics) {
    this.outbox = outbox;
    this.notices = new BuyerNotices(store);
    this.target = target;
    this.settleTime = settleTime;
    this.caughtUp = Counter.builder("boxoffice.buyer.notifications.caught.up")
        .description("Buyer notifications the catch-up published: relayed, settled, and never taken by SNS before")
        .register(metrics);
    // The publisher's counter: one figure for all that was given up on.
    this.failed = Counter.builder("boxoffice.buyer.notifications.failed").register(metrics);
  }

  @Override
  public Future<?> start() {
    sender = BuyerNoticeSender.create(vertx, target, outbox);
    timer = vertx.setTimer(INTERVAL.toMillis(), ignored -> runRound());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return round.otherwiseEmpty().eventually(() -> {
      sender.close();
      return Future.succeededFuture();
    });
  }

  private void runRound() {
    if (stopping) {
      return;
    }
    round = outbox.exclusively(this::catchUp)
        .map(backlog -> backlog.orElse(false))
        .onComplete(outcome -> {
          if (outcome.failed() && !failing) {
            LOG.warn("buyer notice catch-up stopped at a notice SNS did not take; retrying every {} ms",
                INTERVAL.toMillis(), outcome.cause());
          }
          failing = outcome.failed();
          if (stopping) {
            return;
          }
          if (outcome.succeeded() && outcome.result()) {
            vertx.runOnContext(ignored -> runRound());
          } else {
            timer = vertx.setTimer(INTERVAL.toMillis(), ignored -> runRound());
          }
        });
  }

  /** Whether a full batch was settled, so that more settled notices may be waiting. */
  private Future<Boolean> catchUp() {
    return outbox.next(settleTime, BATCH_SIZE).compose(relayed -> {
      List<RelayedNotice> settled = relayed.stream().takeWhile(RelayedNotice::settled).toList();
      if (settled.isEmpty()) {
        return Future.succeededFuture(false);
      }
      List<RelayedNotice> unpublished = settled.stream().filter(notice -> !notice.published()).toList();
      return publishFrom(unpublished, 0, settled.getLast().outboxId())
          .map(relayed.size() == BATCH_SIZE && settled.size() == relayed.size());
    });
  }

  /**
   * Publishes {@code unpublished} from {@code from} on, ten at a time, moving the cursor up to each batch before
   * sending it and past {@code settledUpTo} after the last: a batch that fails, or that a stopping backend does not
   * send, is where the next round starts.
   */
  private Future<Void> publishFrom(List<RelayedNotice> unpublished, int from, long settledUpTo) {
    if (from == unpublished.size()) {
      return outbox.advance(settledUpTo);
    }
    Future<Void> upToBatch = outbox.advance(unpublished.get(from).outboxId() - 1);
    if (stopping) {
      return upToBatch;
    }
    List<RelayedNotice> batch = unpublished.subList(from,
        Math.min(from + NotificationTopic.BATCH_SIZE, unpublished.size()));
    return upToBatch.compose(ignored -> publish(batch))
        .compose(ignored -> publishFrom(unpublished, from + batch.size(), settledUpTo));
  }

  private Future<Void> publish(List<RelayedNotice> batch) {
    return Future.all(batch.stream().map(this::noticeOf).toList()).compose(read -> {
      List<BuyerNotice> told = read.<Optional<BuyerNotice>>list().stream().flatMap(Optional::stream).toList();
      if (told.isEmpty()) {
        return Future.succeededFuture();
      }
      return sender.send(told).compose(
          outcome -> {
            caughtUp.increment(outcome.taken());
            outcome.refused().forEach(this::giveUp);
            return outcome.retry().isEmpty() ? Future.succeededFuture()
                : Future.failedFuture(outcome.retry().size() + " notices not taken, e.g. "
                    + outcome.retry().getFirst().why());
          },
          failure -> {
            if (!NotificationTopic.refusedForGood(failure)) {
              return Future.failedFuture(failure);
            }
            told.forEach(notice -> giveUp(new Rejection(notice, failure.toString())));
            return Future.succeededFuture();
          });
    });
  }

  /** The notice a relayed event owes its buyer; empty when it tells nobody, or cannot be read. */
  private Future<Optional<BuyerNotice>> noticeOf(RelayedNotice relayed) {
    DomainEvent event;
    try {
      event = DomainEvents.fromJson(relayed.payload());
    } catch (Exception unreadable) {
      LOG.error("outbox row {} is not a readable domain event; its buyer notice is skipped", relayed.outboxId(),
          unreadable);
      return Future.succeededFuture(Optional.empty());
    }
    return notices.of(event).map(notification -> notification.map(told -> new BuyerNotice(event.id(), told)));
  }

  private void giveUp(Rejection rejection) {
    failed.increment();
    LOG.error("gave up publishing buyer notification {} ({}) in the catch-up: {}",
        rejection.notice().notification().id(), rejection.notice().notification().type(), rejection.why());
  }
}
