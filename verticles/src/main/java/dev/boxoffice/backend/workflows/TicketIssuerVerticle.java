package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.outbox.OutboxRelayVerticle;
import dev.boxoffice.backend.store.IssuanceStore;
import dev.boxoffice.backend.store.IssuanceStore.OverdueBatch;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.OrderPlaced;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * Issues tickets in batches: one ticket-issuance execution per batch of up to {@value #MAX_BATCH_ORDERS} orders
 * awaiting issuance (at most {@value #MAX_BATCH_TICKETS} tickets), at most {@code batchesInFlight} batches issuing at
 * once across the backends, so that StartExecution, state transitions and create-ticket's concurrency stay within
 * AWS's quotas whatever the rush (docs/performance.md). A round runs every {@link #ROUND_INTERVAL} and at once when
 * an {@code OrderPlaced} is relayed, on one backend at a time: it starts the batches formed but not started (under
 * the same name as before, so a start lost in a crash starts nothing twice), forms and starts new batches while
 * fewer than {@code batchesInFlight} issue, and looks at the batches whose outcomes are overdue. The outcomes
 * themselves come through the outcome queue ({@link IssuanceOutcomeVerticle}); Step Functions is asked only about an
 * overdue batch: still running, it is looked at later; succeeded, its output's outcomes are applied; failed, it is
 * started again under its next attempt's name ({@value #MAX_ATTEMPTS} attempts, then its pending tickets fail); gone
 * (the local engine restarted), it is started again under the same name.
 */
public final class TicketIssuerVerticle extends VerticleBase {

  public static final Duration ROUND_INTERVAL = Duration.ofSeconds(1);
  static final int MAX_BATCH_ORDERS = 100;
  static final int MAX_BATCH_TICKETS = 1_000;
  static final int MAX_ATTEMPTS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(TicketIssuerVerticle.class);
  private static final int OVERDUE_PER_ROUND = 10;
  private static final int START_ATTEMPTS = 4;
  private static final Duration FIRST_START_RETRY = Duration.ofMillis(500);
  private static final Duration MAX_ROUND_BACKOFF = Duration.ofSeconds(30);
  private static final int TRACES_KEPT = 10_000;

  private final IssuanceStore store;
  private final StepFunctions stepFunctions;
  private final String stateMachineArn;
  private final int batchesInFlight;
  private final Duration firstLook;
  /**
   * The trace headers of the orders relayed here, until their batch starts: an execution belongs to one trace, so a
   * batch's continues its first order's (the others' traces end at the backend, whose log names each order's batch).
   * Kept in memory, the newest {@value #TRACES_KEPT}: a batch whose first order another backend relayed, or one
   * started again after a restart, starts a trace of its own.
   */
  private final Map<UUID, String> traceHeaders = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<UUID, String> eldest) {
      return size() > TRACES_KEPT;
    }
  };
  private MessageConsumer<DomainEvent> orderPlaced;
  private boolean stopping;
  private boolean running;
  private boolean again;
  private int failedRounds;
  private long timer = -1;
  private Future<?> round = Future.succeededFuture();

  /**
   * @param firstLook how long after its start a batch whose outcomes have not all come is looked at (then twice as
   *                  late each time, at most 5 minutes)
   */
  public TicketIssuerVerticle(IssuanceStore store, StepFunctions stepFunctions, String stateMachineArn,
                              int batchesInFlight, Duration firstLook) {
    this.store = store;
    this.stepFunctions = stepFunctions;
    this.stateMachineArn = stateMachineArn;
    this.batchesInFlight = batchesInFlight;
    this.firstLook = firstLook;
  }

  /**
   * The batches issuing are looked at in the first round: after a crash of the whole stack (the local Step Functions
   * keeps its executions in memory) they are started again at once rather than when due; in AWS it costs one
   * DescribeExecution per batch in flight.
   */
  @Override
  public Future<?> start() {
    orderPlaced = vertx.eventBus().consumer(OutboxRelayVerticle.addressOf("OrderPlaced"), message -> {
      String traceHeader = message.headers().get(OutboxRelayVerticle.TRACE_HEADER);
      if (traceHeader != null && message.body() instanceof OrderPlaced placed) {
        traceHeaders.put(placed.orderId(), traceHeader);
      }
      nudge();
    });
    return orderPlaced.completion().compose(registered -> store.lookSoon())
        .onSuccess(looked -> scheduleNext(ROUND_INTERVAL));
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return orderPlaced.unregister().compose(ignored -> round.otherwiseEmpty());
  }

  /** A relayed order: a round now, or right after the one running. */
  private void nudge() {
    if (running) {
      again = true;
    } else if (!stopping && failedRounds == 0) {
      vertx.cancelTimer(timer);
      runRound();
    }
  }

  private void scheduleNext(Duration delay) {
    if (!stopping) {
      timer = vertx.setTimer(delay.toMillis(), ignored -> runRound());
    }
  }

  private void runRound() {
    running = true;
    again = false;
    round = store.exclusively(this::issue)
        .onSuccess(done -> failedRounds = 0)
        .onFailure(failure -> {
          if (failedRounds++ == 0) {
            LOG.warn("ticket issuance round failed; retrying with back-off until a round succeeds", failure);
          }
        })
        .onComplete(ignored -> {
          running = false;
          if (again && failedRounds == 0) {
            vertx.runOnContext(next -> runRound());
          } else {
            scheduleNext(failedRounds == 0 ? ROUND_INTERVAL : backoff(ROUND_INTERVAL, failedRounds,
                MAX_ROUND_BACKOFF));
          }
        });
  }

  private Future<Void> issue() {
    return store.unstarted()
        .compose(unstarted -> inTurn(unstarted.iterator(), batch -> start(batch.batchId(), batch.attempt())))
        .compose(started -> store.inFlight())
        .compose(this::formAndStart)
        .compose(filled -> store.overdue(OVERDUE_PER_ROUND))
        .compose(overdue -> inTurn(overdue.iterator(), this::lookAt));
  }

  private Future<Void> formAndStart(int inFlight) {
    if (stopping || inFlight >= batchesInFlight) {
      return Future.succeededFuture();
    }
    return store.formBatch(MAX_BATCH_ORDERS, MAX_BATCH_TICKETS).compose(formed -> formed.isEmpty()
        ? Future.succeededFuture()
        : start(formed.get(), 1).compose(started -> formAndStart(inFlight + 1)));
  }

  /** Starts the batch's execution {@code <batchId>-<attempt>} from its stored orders and records it. */
  private Future<Void> start(UUID batchId, int attempt) {
    return store.batchOrders(batchId).compose(orders -> {
      if (orders.isEmpty()) {
        return store.finishIfDone(batchId);
      }
      String input = IssuanceInput.of(batchId, orders).encode();
      String name = batchId + "-" + attempt;
      String traceHeader = traceHeaders.get(orders.getFirst().orderId());
      return withRetries(() -> stepFunctions.start(stateMachineArn, name, input, traceHeader), 1)
          .compose(executionArn -> store.recordStart(batchId, attempt, executionArn, firstLook))
          .onSuccess(started -> orders.forEach(order -> traceHeaders.remove(order.orderId())));
    });
  }

  private Future<Void> lookAt(OverdueBatch batch) {
    return stepFunctions.describe(batch.executionArn())
        .compose(execution -> switch (execution.status()) {
          case SUCCEEDED -> applyOutput(batch, execution);
          case FAILED, TIMED_OUT, ABORTED -> ended(batch, execution.statusAsString());
          default -> store.lookLater(batch.batchId(), firstLook);
        }, failure -> {
          if (failure instanceof ExecutionDoesNotExistException) {
            LOG.info("issuance batch {} has no execution {} any more; starting it again under that name",
                batch.batchId(), batch.executionArn());
            return store.startAgain(batch.batchId(), false);
          }
          return Future.failedFuture(failure);
        });
  }

  /** Outcomes that never came through the queue: the execution's output has them all. */
  private Future<Void> applyOutput(OverdueBatch batch, DescribeExecutionResponse execution) {
    List<IssuanceOutcomes.Outcome> outcomes;
    try {
      outcomes = IssuanceOutcomes.readExecutionOutput(execution.output());
    } catch (IllegalArgumentException unreadable) {
      LOG.warn("issuance batch {} succeeded with an output this backend cannot read; its pending tickets fail",
          batch.batchId());
      return store.failRest(batch.batchId());
    }
    LOG.info("issuance batch {} succeeded and its outcomes were not all received; applying its output",
        batch.batchId());
    return inTurn(outcomes.iterator(), outcome -> store.applyOutcome(batch.batchId(), outcome.readyTickets(),
            outcome.qrKeys(), outcome.failedOrders()))
        .compose(applied -> store.failRest(batch.batchId()));
  }

  private Future<Void> ended(OverdueBatch batch, String status) {
    if (batch.attempt() < MAX_ATTEMPTS) {
      LOG.warn("issuance batch {} ended {} (attempt {}); starting its next attempt", batch.batchId(), status,
          batch.attempt());
      return store.startAgain(batch.batchId(), true);
    }
    LOG.error("issuance batch {} ended {} at its last attempt; its pending tickets fail", batch.batchId(), status);
    return store.failRest(batch.batchId());
  }

  /** Retries what may pass later (all but a request Step Functions refused as such) after a jittered back-off. */
  private <T> Future<T> withRetries(Supplier<Future<T>> call, int attempt) {
    return call.get().recover(failure -> {
      if (attempt >= START_ATTEMPTS || StepFunctions.refusedForGood(failure) || stopping) {
        return Future.failedFuture(failure);
      }
      return vertx.timer(backoff(FIRST_START_RETRY, attempt, MAX_ROUND_BACKOFF).toMillis())
          .compose(ignored -> withRetries(call, attempt + 1));
    });
  }

  /** Exponential back-off with full jitter: uniformly up to {@code first} × 2^(n−1), capped. */
  static Duration backoff(Duration first, int failures, Duration cap) {
    long ceiling = Math.min(cap.toMillis(), first.toMillis() << Math.min(failures - 1, 20));
    return Duration.ofMillis(Math.max(1, ThreadLocalRandom.current().nextLong(ceiling + 1)));
  }

  private <T> Future<Void> inTurn(Iterator<T> items, Function<T, Future<Void>> step) {
    if (stopping || !items.hasNext()) {
      return Future.succeededFuture();
    }
    return step.apply(items.next()).compose(done -> inTurn(items, step));
  }
}
