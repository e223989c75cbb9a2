package dev.boxoffice.backend.workflows;

import dev.boxoffice.codecs.events.DomainEvents;
import dev.boxoffice.codecs.events.EventPublished;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
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
 *   <li>for an {@code OrderPlaced}, the order's ticket issuance through {@link TicketIssuance}, which skips orders
 *   that have their execution;</li>
 *   <li>for an {@code EventPublished}, the event's announcement, unless the event is no longer published. The
 *   execution is named after the domain event, so Step Functions answers a start of an announcement that did run with
 *   that execution, and nobody is told twice.</li>
 * </ul>
 */
public final class WorkflowCatchUpVerticle extends VerticleBase {

  public static final Duration INTERVAL = Duration.ofSeconds(5);
  public static final Duration SETTLE_TIME = Duration.ofMinutes(1);
  public static final int BATCH_SIZE = 500;

  private static final Logger LOG = LoggerFactory.getLogger(WorkflowCatchUpVerticle.class);
  private static final String CURSOR = "SELECT last_outbox_id FROM workflow_catch_up";
  private static final String NEXT_EVENTS = "SELECT id, type, event_id, aggregate_id,"
      + " CASE WHEN type = 'EventPublished' THEN payload::text END AS payload,"
      + " sent_at IS NOT NULL AND sent_at < now() - make_interval(secs => $2) AS settled"
      + " FROM outbox WHERE id > $1 AND type = ANY($3) ORDER BY id LIMIT $4";
  private static final String STILL_PUBLISHED = "SELECT 1 FROM events WHERE id = $1 AND status = 'published'";
  private static final String ADVANCE = "UPDATE workflow_catch_up SET last_outbox_id = greatest(last_outbox_id, $1)";

  private final Pool pool;
  private final Optional<TicketIssuance> issuance;
  private final Optional<EventAnnouncement> announcement;
  private final String[] types;
  private final Duration settleTime;
  private boolean stopping;
  private boolean failing;
  private long timer = -1;
  private Future<?> round = Future.succeededFuture();

  /** Catches up the workflows whose state machine is given. */
  public WorkflowCatchUpVerticle(Pool pool, StepFunctions stepFunctions, Optional<String> ticketIssuanceStateMachineArn,
                                 Optional<String> eventAnnouncementStateMachineArn, Duration settleTime) {
    this.pool = pool;
    this.issuance = ticketIssuanceStateMachineArn.map(arn -> new TicketIssuance(pool, stepFunctions, arn));
    this.announcement = eventAnnouncementStateMachineArn.map(arn -> new EventAnnouncement(stepFunctions, arn));
    List<String> caughtUp = new ArrayList<>();
    issuance.ifPresent(present -> caughtUp.add("OrderPlaced"));
    announcement.ifPresent(present -> caughtUp.add("EventPublished"));
    this.types = caughtUp.toArray(String[]::new);
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
            LOG.warn("workflow catch-up stopped at a start it could not make; retrying every {} ms",
                INTERVAL.toMillis(), failure);
          }
          failing = true;
          scheduleNext(false);
        });
  }

  /** Whether a full batch was handled, so that more settled rows may be waiting. */
  private Future<Boolean> catchUp() {
    return pool.query(CURSOR).execute()
        .compose(cursor -> pool.preparedQuery(NEXT_EVENTS).execute(Tuple.of(
            cursor.iterator().next().getLong("last_outbox_id"), settleTime.toMillis() / 1000.0, types, BATCH_SIZE)))
        .compose(rows -> {
          boolean fullBatchSettled = rows.size() == BATCH_SIZE;
          for (Row row : rows) {
            fullBatchSettled &= row.getBoolean("settled");
          }
          return startInOrder(rows.iterator(), null).map(fullBatchSettled);
        });
  }

  /** Starts the workflows one after the other, advancing the cursor past each row handled, up to the first unsettled. */
  private Future<Void> startInOrder(Iterator<Row> rows, Long handledUpTo) {
    if (!rows.hasNext()) {
      return advance(handledUpTo);
    }
    Row row = rows.next();
    if (!row.getBoolean("settled")) {
      return advance(handledUpTo);
    }
    long id = row.getLong("id");
    return startWorkflowOf(row)
        .recover(failure -> {
          if (StepFunctions.refusedForGood(failure)) {
            LOG.error("Step Functions refuses the workflow of {} {}; skipping it", row.getString("type"),
                row.getUUID("event_id"), failure);
            return Future.succeededFuture();
          }
          return advance(handledUpTo).compose(ignored -> Future.failedFuture(failure));
        })
        .compose(ignored -> startInOrder(rows, id));
  }

  private Future<Void> startWorkflowOf(Row row) {
    return switch (row.getString("type")) {
      case "OrderPlaced" -> issuance.orElseThrow().start(row.getUUID("aggregate_id"), row.getUUID("event_id"));
      case "EventPublished" -> announceIfStillPublished(row);
      default -> Future.succeededFuture();
    };
  }

  private Future<Void> announceIfStillPublished(Row row) {
    EventPublished published;
    try {
      published = (EventPublished) DomainEvents.fromJson(row.getString("payload"));
    } catch (Exception unreadable) {
      LOG.error("outbox row {} is not a readable EventPublished; its announcement is skipped", row.getLong("id"),
          unreadable);
      return Future.succeededFuture();
    }
    return pool.preparedQuery(STILL_PUBLISHED).execute(Tuple.of(published.eventId()))
        .compose(found -> found.size() == 0 ? Future.succeededFuture() : announcement.orElseThrow().start(published));
  }

  private Future<Void> advance(Long handledUpTo) {
    return handledUpTo == null
        ? Future.succeededFuture()
        : pool.preparedQuery(ADVANCE).execute(Tuple.of(handledUpTo)).mapEmpty();
  }
}
