package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.store.CatchUpStore;
import dev.boxoffice.backend.store.CatchUpStore.RelayedEvent;
import dev.boxoffice.backend.store.IssuanceStore;
import dev.boxoffice.codecs.events.DomainEvents;
import dev.boxoffice.codecs.events.EventPublished;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the workflows whose domain event was relayed but never started one: the start failed past its retries, or
 * the backend stopped between relaying and starting. Every {@link #INTERVAL} it reads the outbox on from where it
 * stopped (a cursor in {@code workflow_catch_up}), as far as the rows relayed more than {@code settleTime} ago (at
 * once again while a full batch was settled), and starts, in outbox order:
 * <ul>
 *   <li>for an {@code EventPublished}, the event's announcement, unless the event is no longer published. The
 *   execution is named after the domain event, so Step Functions answers a start of an announcement that did run with
 *   that execution, and nobody is told twice.</li>
 *   <li>for an {@code OrderCancelled}, the order's ticket cancellation through {@link TicketCancellation}, named
 *   after the domain event likewise.</li>
 * </ul>
 * (Ticket issuance needs no catch-up: an order awaits issuance in its own row until a batch takes it, see
 * {@link TicketIssuerVerticle}.) A round that handled every such row it read also moves the cursor over the settled
 * rows of other types after them, so that the outbox's purge, which keeps the rows the cursor has not passed, takes
 * a sale's orders without waiting for the next announcement.
 * One backend at a time catches up (an advisory lock per round); each counts the rows it handled in
 * {@code boxoffice_workflow_catch_up_events_total} when the cursor past them is committed. A round cut off before
 * that (its database lost mid-round) counts nothing: the rows are handled again by the next round, here or on another
 * backend, whose start finds the execution there, and counted then. So the sum over backends equals the rows behind
 * the cursor unless two backends handled the same rows at once, which the lock is there to prevent.
 */
public final class WorkflowCatchUpVerticle extends VerticleBase {

  public static final Duration INTERVAL = Duration.ofSeconds(5);
  public static final Duration SETTLE_TIME = Duration.ofMinutes(1);
  public static final int BATCH_SIZE = 500;

  private static final Logger LOG = LoggerFactory.getLogger(WorkflowCatchUpVerticle.class);

  private final CatchUpStore outbox;
  private final Optional<EventAnnouncement> announcement;
  private final Optional<TicketCancellation> cancellation;
  private final String[] types;
  private final Duration settleTime;
  private final Counter handled;
  private boolean stopping;
  private boolean failing;
  private long timer = -1;
  private Future<?> round = Future.succeededFuture();

  /** Catches up the workflows whose state machine {@code serverless} names. */
  public WorkflowCatchUpVerticle(CatchUpStore outbox, IssuanceStore orders, StepFunctions stepFunctions,
                                 Config.Serverless serverless, Duration settleTime, MeterRegistry metrics) {
    this.outbox = outbox;
    this.announcement = serverless.eventAnnouncementStateMachineArn()
        .map(arn -> new EventAnnouncement(stepFunctions, arn));
    this.cancellation = serverless.ticketCancellationStateMachineArn()
        .map(arn -> new TicketCancellation(orders, stepFunctions, arn));
    List<String> caughtUp = new ArrayList<>();
    announcement.ifPresent(present -> caughtUp.add("EventPublished"));
    cancellation.ifPresent(present -> caughtUp.add("OrderCancelled"));
    this.types = caughtUp.toArray(String[]::new);
    this.settleTime = settleTime;
    this.handled = Counter.builder("boxoffice.workflow.catch.up.events")
        .description("Relayed domain events this backend's catch-up handled: started their workflow or found it there")
        .register(metrics);
  }

  @Override
  public Future<?> start() {
    scheduleNext(false);
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return round.otherwiseEmpty();
  }

  /** Right away while a backlog of settled rows remains, after {@link #INTERVAL} otherwise. */
  private void scheduleNext(boolean backlog) {
    if (stopping) {
      return;
    }
    if (backlog) {
      vertx.runOnContext(ignored -> runRound());
    } else {
      timer = vertx.setTimer(INTERVAL.toMillis(), ignored -> runRound());
    }
  }

  private void runRound() {
    if (stopping) {
      return;
    }
    round = outbox.exclusively(this::catchUp)
        .map(backlog -> backlog.orElse(false))
        .onSuccess(backlog -> {
          failing = false;
          scheduleNext(backlog);
        })
        .onFailure(failure -> {
          if (!failing) {
            LOG.warn("workflow catch-up stopped at a start it could not make; retrying every {} ms",
                INTERVAL.toMillis(), failure);
          }
          failing = true;
          scheduleNext(false);
        });
  }

  /** Whether a full batch was handled, so that more settled rows may be waiting. */
  private Future<Boolean> catchUp() {
    return outbox.next(settleTime, types, BATCH_SIZE).compose(events -> {
      boolean allSettled = events.stream().allMatch(RelayedEvent::settled);
      boolean fullBatchSettled = events.size() == BATCH_SIZE && allSettled;
      Future<Void> started = startInOrder(events.iterator(), null, 0);
      if (events.size() == BATCH_SIZE || !allSettled || types.length == 0) {
        return started.map(fullBatchSettled);
      }
      // Every row of the caught-up types is handled: the cursor may pass the settled rows of other types after them.
      long handledUpTo = events.isEmpty() ? 0 : events.getLast().outboxId();
      return started.compose(ignored -> stopping ? Future.succeededFuture()
          : outbox.advanceOverSettled(settleTime, handledUpTo, types)).map(false);
    });
  }

  /**
   * Starts the workflows one after the other, then advances the cursor past the {@code count} rows handled, up to the
   * first unsettled.
   */
  private Future<Void> startInOrder(Iterator<RelayedEvent> events, Long handledUpTo, int count) {
    // A stopping backend starts nothing more: the next round, here or on another backend, goes on from the cursor.
    if (!events.hasNext() || stopping) {
      return advance(handledUpTo, count);
    }
    RelayedEvent event = events.next();
    if (!event.settled()) {
      return advance(handledUpTo, count);
    }
    return startWorkflowOf(event)
        .recover(failure -> {
          if (StepFunctions.refusedForGood(failure)) {
            LOG.error("Step Functions refuses the workflow of {} {}; skipping it", event.type(), event.eventId(),
                failure);
            return Future.succeededFuture();
          }
          return advance(handledUpTo, count).compose(ignored -> Future.failedFuture(failure));
        })
        .compose(ignored -> startInOrder(events, event.outboxId(), count + 1));
  }

  private Future<Void> startWorkflowOf(RelayedEvent event) {
    return switch (event.type()) {
      case "EventPublished" -> announceIfStillPublished(event);
      case "OrderCancelled" -> cancellation.orElseThrow().start(event.aggregateId(), event.eventId(),
          event.traceHeader());
      default -> Future.succeededFuture();
    };
  }

  private Future<Void> announceIfStillPublished(RelayedEvent event) {
    EventPublished published;
    try {
      published = (EventPublished) DomainEvents.fromJson(event.payload());
    } catch (Exception unreadable) {
      LOG.error("outbox row {} is not a readable EventPublished; its announcement is skipped", event.outboxId(),
          unreadable);
      return Future.succeededFuture();
    }
    return outbox.stillPublished(published.eventId())
        .compose(still -> still ? announcement.orElseThrow().start(published, event.traceHeader())
            : Future.succeededFuture());
  }

  private Future<Void> advance(Long handledUpTo, int count) {
    return handledUpTo == null
        ? Future.succeededFuture()
        : outbox.advance(handledUpTo).onSuccess(advanced -> handled.increment(count));
  }
}
