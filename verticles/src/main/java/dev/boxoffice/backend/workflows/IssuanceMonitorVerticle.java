package dev.boxoffice.backend.workflows;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
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
  private static final String DUE = "SELECT id, issuance_execution_arn FROM orders"
      + " WHERE issuance_execution_arn IS NOT NULL AND issuance_next_check_at <= now()"
      + " ORDER BY issuance_next_check_at LIMIT $1";
  private static final String LOOK_LATER = "UPDATE orders SET issuance_checks = issuance_checks + 1,"
      + " issuance_next_check_at = now() + make_interval(secs => least(power(2, issuance_checks + 1), 300))"
      + " WHERE id = $1";
  private static final String DONE = "UPDATE orders SET issuance_next_check_at = NULL WHERE id = $1";
  private static final String READY = "UPDATE tickets k SET qr_status = 'ready', qr_key = q.qr_key"
      + " FROM unnest($2::uuid[], $3::text[]) AS q(id, qr_key)"
      + " WHERE k.id = q.id AND k.order_id = $1 AND k.qr_status = 'pending'";
  private static final String FAILED = "UPDATE tickets SET qr_status = 'failed'"
      + " WHERE order_id = $1 AND qr_status = 'pending'";

  private final Pool pool;
  private final StepFunctions stepFunctions;
  private boolean stopping;
  private long timer = -1;
  private Future<?> round = Future.succeededFuture();

  public IssuanceMonitorVerticle(Pool pool, StepFunctions stepFunctions) {
    this.pool = pool;
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
    return pool.preparedQuery(DUE).execute(Tuple.of(BATCH_SIZE)).compose(rows -> {
      List<Future<Void>> looks = new ArrayList<>();
      for (Row row : rows) {
        looks.add(lookAt(row.getUUID("id"), row.getString("issuance_execution_arn")));
      }
      return Future.join(looks);
    });
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
    return pool.preparedQuery(LOOK_LATER).execute(Tuple.of(orderId)).mapEmpty();
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
    return pool.withTransaction(conn -> conn.preparedQuery(READY)
        .execute(Tuple.of(orderId, ticketIds.toArray(UUID[]::new), qrKeys.toArray(String[]::new)))
        .compose(updated -> conn.preparedQuery(FAILED).execute(Tuple.of(orderId)))
        .compose(updated -> conn.preparedQuery(DONE).execute(Tuple.of(orderId)))).mapEmpty();
  }

  private Future<Void> failed(UUID orderId, String why) {
    LOG.info("ticket issuance of order {} ended {}; its QR codes are failed", orderId, why);
    return pool.withTransaction(conn -> conn.preparedQuery(FAILED).execute(Tuple.of(orderId))
        .compose(updated -> conn.preparedQuery(DONE).execute(Tuple.of(orderId)))).mapEmpty();
  }
}
