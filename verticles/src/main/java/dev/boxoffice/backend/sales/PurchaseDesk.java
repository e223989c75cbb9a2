package dev.boxoffice.backend.sales;

import dev.boxoffice.backend.cache.ResponseCache;
import dev.boxoffice.backend.cache.SoldOutFlags;
import dev.boxoffice.backend.model.PurchaseAnswer;
import dev.boxoffice.backend.model.PurchaseRequest;
import dev.boxoffice.backend.store.PurchaseBatch;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Where the sales service hands purchases over: each ticket type belongs to one {@link PurchaseLane} (by hash), so
 * its purchases coalesce into batches on one event loop. Answers come back on the caller's context (null: on the
 * lane's).
 */
public final class PurchaseDesk {

  private final List<PurchaseLane> lanes;

  private PurchaseDesk(List<PurchaseLane> lanes) {
    this.lanes = List.copyOf(lanes);
  }

  /**
   * Deploys {@code laneCount} lanes, lane {@code i} deciding with {@code laneBatches.apply(i)}, built on its context
   * (on connections of its own);
   * call from {@code Boxoffice.start} before the HTTP verticles. The batches are
   * measured in {@code metrics}: {@code boxoffice_purchase_batch_requests} (requests per batch) and
   * {@code boxoffice_purchase_batch_seconds} (from the transaction's start to the answers).
   */
  public static Future<PurchaseDesk> deploy(Vertx vertx, IntFunction<PurchaseBatch> laneBatches, SoldOutFlags soldOutFlags,
                                            ResponseCache cache, int laneCount, MeterRegistry metrics) {
    DistributionSummary batchSizes = DistributionSummary.builder("boxoffice.purchase.batch.requests")
        .description("Purchase requests decided in one transaction").register(metrics);
    Timer batchTimes = Timer.builder("boxoffice.purchase.batch")
        .description("Purchase batches, from the transaction's start to the answers").register(metrics);
    List<PurchaseLane> lanes = new ArrayList<>();
    List<Future<String>> deployments = new ArrayList<>();
    for (int i = 0; i < laneCount; i++) {
      int number = i;
      PurchaseLane lane = new PurchaseLane(() -> laneBatches.apply(number), soldOutFlags, cache, i == 0, batchSizes, batchTimes);
      lanes.add(lane);
      deployments.add(vertx.deployVerticle(lane));
    }
    return Future.all(deployments).map(deployed -> new PurchaseDesk(lanes));
  }

  Future<PurchaseAnswer> submit(PurchaseRequest request) {
    Promise<PurchaseAnswer> answered = Promise.promise();
    laneOf(request).submit(request, Vertx.currentContext(), answered);
    return answered.future();
  }

  /** For a ticket type flagged sold out: its original order if this retries a purchase that succeeded, else SoldOut. */
  Future<PurchaseAnswer> replayOrSoldOut(PurchaseRequest request) {
    Promise<PurchaseAnswer> answered = Promise.promise();
    laneOf(request).submitBehindSoldOutFlag(request, Vertx.currentContext(), answered);
    return answered.future();
  }

  private PurchaseLane laneOf(PurchaseRequest request) {
    return lanes.get(Math.floorMod(request.ticketTypeId().hashCode(), lanes.size()));
  }
}
