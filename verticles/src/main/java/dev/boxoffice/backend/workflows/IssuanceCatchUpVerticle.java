package dev.boxoffice.backend.workflows;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the ticket issuance of orders whose OrderPlaced was relayed but never started one: the start failed past
 * its retries, or the backend stopped between relaying and starting. Every {@link #INTERVAL} it reads the outbox on
 * from where it stopped (a cursor in {@code workflow_catch_up}), as far as OrderPlaced rows relayed more than
 * {@code settleTime} ago (at once again while a full batch was settled), and starts each order through
 * {@link TicketIssuance}, which skips orders that have their execution.
 * Announcements are not caught up: nothing records them, and a missed announcement is no one's ticket.
 */
public final class IssuanceCatchUpVerticle extends VerticleBase {

  public static final Duration INTERVAL = Duration.ofSeconds(5);
  public static final Duration SETTLE_TIME = Duration.ofMinutes(1);
  public static final int BATCH_SIZE = 500;

  private static final Logger LOG = LoggerFactory.getLogger(IssuanceCatchUpVerticle.class);
  private static final String CURSOR = "SELECT last_outbox_id FROM workflow_catch_up";
  private static final String NEXT_ORDERS_PLACED = "SELECT id, event_id, aggregate_id,"
      + " sent_at IS NOT NULL AND sent_at < now() - make_interval(secs => $2) AS settled"
      + " FROM outbox WHERE id > $1 AND type = 'OrderPlaced' ORDER BY id LIMIT $3";
  private static final String ADVANCE = "UPDATE workflow_catch_up SET last_outbox_id = greatest(last_outbox_id, $1)";

  private final Pool pool;
  private final TicketIssuance issuance;
  private final Duration settleTime;
  private boolean stopping;
  private boolean failing;
  private long timer = -1;
  private Future<?> round = Future.succeededFuture();

  public IssuanceCatchUpVerticle(Pool pool, StepFunctions stepFunctions, String ticketIssuanceStateMachineArn,
                                 Duration settleTime) {
    this.pool = pool;
    this.issuance = new TicketIssuance(pool, stepFunctions, ticketIssuanceStateMachineArn);
    this.settleTime = settleTime;
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
    round = catchUp()
        .onSuccess(backlog -> {
          failing = false;
          scheduleNext(backlog);
        })
        .onFailure(failure -> {
          if (!failing) {
            LOG.warn("issuance catch-up stopped at a start it could not make; retrying every {} ms",
                INTERVAL.toMillis(), failure);
          }
          failing = true;
          scheduleNext(false);
        });
  }

  /** Whether a full batch was handled, so that more settled rows may be waiting. */
  private Future<Boolean> catchUp() {
    return pool.query(CURSOR).execute()
        .compose(cursor -> pool.preparedQuery(NEXT_ORDERS_PLACED).execute(Tuple.of(
            cursor.iterator().next().getLong("last_outbox_id"), settleTime.toMillis() / 1000.0, BATCH_SIZE)))
        .compose(rows -> {
          boolean fullBatchSettled = rows.size() == BATCH_SIZE;
          for (Row row : rows) {
            fullBatchSettled &= row.getBoolean("settled");
          }
          return startInOrder(rows.iterator(), null).map(fullBatchSettled);
        });
  }

  /** Starts the orders one after the other, advancing the cursor past each row handled, up to the first unsettled. */
  private Future<Void> startInOrder(Iterator<Row> rows, Long handledUpTo) {
    if (!rows.hasNext()) {
      return advance(handledUpTo);
    }
    Row row = rows.next();
    if (!row.getBoolean("settled")) {
      return advance(handledUpTo);
    }
    long id = row.getLong("id");
    return issuance.start(row.getUUID("aggregate_id"), row.getUUID("event_id"))
        .recover(failure -> {
          if (StepFunctions.refusedForGood(failure)) {
            LOG.error("Step Functions refuses the ticket issuance of order {}; skipping it",
                row.getUUID("aggregate_id"), failure);
            return Future.succeededFuture();
          }
          return advance(handledUpTo).compose(ignored -> Future.failedFuture(failure));
        })
        .compose(ignored -> startInOrder(rows, id));
  }

  private Future<Void> advance(Long handledUpTo) {
    return handledUpTo == null
        ? Future.succeededFuture()
        : pool.preparedQuery(ADVANCE).execute(Tuple.of(handledUpTo)).mapEmpty();
  }
}
