package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.store.IssuanceStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;

/**
 * Turns ticket-issuance executions into the tickets' QR status: every {@link #POLL_INTERVAL} it asks Step Functions
 * about a bounded batch of orders whose execution is due for a look, sets the order's tickets {@code ready} (with the
 * QR code keys of the execution's output) when it succeeded, {@code failed} when it failed, timed out or was aborted,
 * and otherwise looks again later, each order backing off exponentially (1 s, 2 s, 4 s ... up to 5 minutes).
 */
public final class IssuanceMonitorVerticle extends VerticleBase {

  public static final Duration POLL_INTERVAL = Duration.ofSeconds(2);
  public static final int BATCH_SIZE = 50;

  private static final Logger LOG = LoggerFactory.getLogger(IssuanceMonitorVerticle.class);

  private final IssuanceStore orders;
  private final StepFunctions stepFunctions;
  private boolean stopping;
  private long timer = -1;
  private Future<?> round = Future.succeededFuture();

  public IssuanceMonitorVerticle(IssuanceStore orders, StepFunctions stepFunctions) {
    this.orders = orders;
    this.stepFunctions = stepFunctions;
  }

  @Override
  public Future<?> start() {
    scheduleNext();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return round.otherwiseEmpty();
  }

  private void scheduleNext() {
    if (!stopping) {
      timer = vertx.setTimer(POLL_INTERVAL.toMillis(), ignored -> {
        round = lookAtDueOrders()
            .onFailure(failure -> LOG.warn("QR status round failed; next one in {} ms", POLL_INTERVAL.toMillis(),
                failure))
            .onComplete(ignoredOutcome -> scheduleNext());
      });
    }
  }

  private Future<?> lookAtDueOrders() {
    return orders.due(BATCH_SIZE).compose(due -> lookAtInTurn(due, 0));
  }

  /**
   * As many executions at a time as Step Functions calls may be in flight, so that a stopping backend waits for one
   * such turn at most rather than the whole batch: an order not looked at stays due.
   */
  private Future<?> lookAtInTurn(List<IssuanceStore.DueExecution> due, int from) {
    if (stopping || from >= due.size()) {
      return Future.succeededFuture();
    }
    List<IssuanceStore.DueExecution> turn = due.subList(from,
        Math.min(due.size(), from + StepFunctions.MAX_CONCURRENT_CALLS));
    return Future.join(turn.stream().map(execution -> lookAt(execution.orderId(), execution.executionArn())).toList())
        .compose(looked -> lookAtInTurn(due, from + turn.size()));
  }

  private Future<Void> lookAt(UUID orderId, String executionArn) {
    return stepFunctions.describe(executionArn)
        .compose(execution -> switch (execution.status()) {
          case SUCCEEDED -> ready(orderId, execution);
          case FAILED, TIMED_OUT, ABORTED -> failed(orderId, execution.statusAsString());
          default -> lookLater(orderId);
        }, failure -> failure instanceof ExecutionDoesNotExistException
            ? failed(orderId, "missing")
            : lookLater(orderId));
  }

  private Future<Void> lookLater(UUID orderId) {
    return orders.lookLater(orderId);
  }

  /** The execution's output {@code tickets[]} carries each ticket's {@code qrKey}; a ticket missing from it failed. */
  private Future<Void> ready(UUID orderId, DescribeExecutionResponse execution) {
    List<UUID> ticketIds = new ArrayList<>();
    List<String> qrKeys = new ArrayList<>();
    try {
      JsonArray tickets = new JsonObject(execution.output()).getJsonArray("tickets", new JsonArray());
      for (int i = 0; i < tickets.size(); i++) {
        JsonObject ticket = tickets.getJsonObject(i);
        ticketIds.add(UUID.fromString(ticket.getString("ticketId")));
        qrKeys.add(ticket.getString("qrKey"));
      }
    } catch (DecodeException | ClassCastException | IllegalArgumentException | NullPointerException e) {
      LOG.warn("ticket issuance {} succeeded with an output this backend cannot read; its QR codes are failed",
          execution.executionArn());
      return failed(orderId, "unreadable output");
    }
    return orders.ready(orderId, ticketIds, qrKeys);
  }

  private Future<Void> failed(UUID orderId, String why) {
    LOG.info("ticket issuance of order {} ended {}; its QR codes are failed", orderId, why);
    return orders.failed(orderId);
  }
}
