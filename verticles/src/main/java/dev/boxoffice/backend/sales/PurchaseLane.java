package dev.boxoffice.backend.sales;

import dev.boxoffice.backend.cache.ResponseCache;
import dev.boxoffice.backend.cache.SoldOutFlags;
import dev.boxoffice.backend.model.PurchaseAnswer;
import dev.boxoffice.backend.model.PurchaseRequest;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.store.PurchaseBatch;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The purchase coalescer for the ticket types hashed to it, confined to this verticle's event loop: while one batch
 * transaction of a ticket type is in flight, its next requests queue; when it commits, they all go in the next
 * transaction (up to {@link #MAX_BATCH} at a time). A quiet ticket type's lone request goes straight through.
 * Requests arrive through {@link #submit}, which hops onto this verticle's context, so no state is shared or locked.
 * The lane has PostgreSQL connections of its own, opened on its event loop: its batches never wait in the shared
 * pool's queue behind other traffic (a waiting room's visits) nor for a connection's answer to cross event loops.
 */
final class PurchaseLane extends VerticleBase {

  static final int MAX_BATCH = 500;
  private static final long KEY_SWEEP_INTERVAL_MS = 15 * 60 * 1000;

  private static final Logger LOG = LoggerFactory.getLogger(PurchaseLane.class);

  private final Supplier<PurchaseBatch> ownBatches;
  private final SoldOutFlags soldOutFlags;
  private final ResponseCache cache;
  private final boolean sweepsOldKeys;
  private final DistributionSummary batchSizes;
  private final Timer batchTimes;
  private final Map<UUID, TicketTypeQueue> queues = new HashMap<>();
  private final ArrayDeque<Pending> behindSoldOutFlags = new ArrayDeque<>();
  private boolean lookupInFlight;
  private volatile Context home;
  private PurchaseBatch batches;

  /** {@code ownBatches} builds the lane's batches on connections of their own, on the lane's context, when it starts. */
  PurchaseLane(Supplier<PurchaseBatch> ownBatches, SoldOutFlags soldOutFlags, ResponseCache cache, boolean sweepsOldKeys,
               DistributionSummary batchSizes, Timer batchTimes) {
    this.batchSizes = batchSizes;
    this.batchTimes = batchTimes;
    this.ownBatches = ownBatches;
    this.soldOutFlags = soldOutFlags;
    this.cache = cache;
    this.sweepsOldKeys = sweepsOldKeys;
  }

  @Override
  public Future<?> start() {
    home = context;
    batches = ownBatches.get();
    if (sweepsOldKeys) {
      vertx.setPeriodic(KEY_SWEEP_INTERVAL_MS, KEY_SWEEP_INTERVAL_MS, timer -> batches.forgetOldKeys()
          .onFailure(failure -> LOG.warn("could not delete old idempotency keys: {}", failure.toString())));
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return batches.close();
  }

  /** Callable from any thread; {@code answered} completes on {@code caller} once the request's batch is over. */
  void submit(PurchaseRequest request, Context caller, Promise<PurchaseAnswer> answered) {
    home.runOnContext(ignored -> {
      TicketTypeQueue queue = queues.computeIfAbsent(request.ticketTypeId(), TicketTypeQueue::new);
      queue.waiting.add(new Pending(request, caller, answered));
      if (!queue.inFlight) {
        runNextBatch(queue);
      }
    });
  }

  /**
   * For a ticket type flagged sold out: the request only needs its Idempotency-Key looked up (a retry of a purchase
   * that succeeded gets its order back), and those lookups are coalesced too, across ticket types, without locks.
   */
  void submitBehindSoldOutFlag(PurchaseRequest request, Context caller, Promise<PurchaseAnswer> answered) {
    home.runOnContext(ignored -> {
      behindSoldOutFlags.add(new Pending(request, caller, answered));
      if (!lookupInFlight) {
        runNextLookup();
      }
    });
  }

  private void runNextLookup() {
    if (behindSoldOutFlags.isEmpty()) {
      lookupInFlight = false;
      return;
    }
    lookupInFlight = true;
    List<Pending> batch = take(behindSoldOutFlags);
    List<PurchaseRequest> requests = batch.stream().map(Pending::request).toList();
    batches.replaysOrSoldOut(requests)
        .otherwise(failure -> {
          LOG.warn("idempotency lookup of {} sold-out purchases failed: {}", requests.size(), failure.toString());
          return unavailable(requests);
        })
        .onSuccess(answers -> {
          deliver(batch, answers);
          runNextLookup();
        });
  }

  private void runNextBatch(TicketTypeQueue queue) {
    if (queue.waiting.isEmpty()) {
      queue.inFlight = false;
      queues.remove(queue.ticketTypeId);
      return;
    }
    queue.inFlight = true;
    List<Pending> batch = take(queue.waiting);
    List<PurchaseRequest> requests = batch.stream().map(Pending::request).toList();
    batchSizes.record(requests.size());
    long started = System.nanoTime();
    batches.run(queue.ticketTypeId, requests)
        .compose(result -> afterCommit(queue.ticketTypeId, result).map(result.answers()))
        .otherwise(failure -> {
          LOG.warn("purchase batch of {} requests for ticket type {} rolled back: {}", requests.size(),
              queue.ticketTypeId, failure.toString());
          return unavailable(requests);
        })
        .onSuccess(answers -> {
          batchTimes.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          deliver(batch, answers);
          runNextBatch(queue);
        });
  }

  private static List<Pending> take(ArrayDeque<Pending> waiting) {
    List<Pending> batch = new ArrayList<>(Math.min(waiting.size(), MAX_BATCH));
    while (!waiting.isEmpty() && batch.size() < MAX_BATCH) {
      batch.add(waiting.poll());
    }
    return batch;
  }

  private static List<PurchaseAnswer> unavailable(List<PurchaseRequest> requests) {
    PurchaseAnswer unavailable = new PurchaseAnswer.Refused(new Refusal.PurchaseUnavailable());
    return requests.stream().map(request -> unavailable).toList();
  }

  /**
   * Completes each request's promise on its caller's context, with one hop per context rather than per request: a
   * hop to another event loop may have to wake it, and a batch holds hundreds of answers for a few event loops.
   */
  private static void deliver(List<Pending> batch, List<PurchaseAnswer> answers) {
    Map<Context, List<Runnable>> byCaller = new IdentityHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending pending = batch.get(i);
      PurchaseAnswer answer = answers.get(i);
      Runnable complete = () -> pending.answered().complete(answer);
      if (pending.caller() == null) {
        complete.run();
      } else {
        byCaller.computeIfAbsent(pending.caller(), caller -> new ArrayList<>()).add(complete);
      }
    }
    byCaller.forEach((caller, completions) -> caller.runOnContext(ignored -> completions.forEach(Runnable::run)));
  }

  /** Redis bookkeeping of a committed batch, done before anyone is answered so the next read sees the sale. */
  private Future<Void> afterCommit(UUID ticketTypeId, PurchaseBatch.Result result) {
    Future<Void> flag = result.exhausted() ? soldOutFlags.markSoldOut(ticketTypeId) : Future.succeededFuture();
    Future<Void> detail = result.ticketsTaken() > 0 || result.ticketsReleased() > 0
        ? cache.salesChanged(result.eventId()) : Future.succeededFuture();
    return Future.join(flag, detail).mapEmpty();
  }

  private record Pending(PurchaseRequest request, Context caller, Promise<PurchaseAnswer> answered) {
  }

  private static final class TicketTypeQueue {
    private final UUID ticketTypeId;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private boolean inFlight;

    TicketTypeQueue(UUID ticketTypeId) {
      this.ticketTypeId = ticketTypeId;
    }
  }
}
