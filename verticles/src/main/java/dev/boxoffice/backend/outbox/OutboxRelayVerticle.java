package dev.boxoffice.backend.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.DomainEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes outbox rows to the event bus in id order, on {@link #ADDRESS} and on {@link #addressOf(String)} for the
 * row's type, then marks them sent. Deployed once per backend, by {@code Boxoffice.start}:
 * <pre>{@code vertx.deployVerticle(new OutboxRelayVerticle(pool, config.outboxRelay(), metrics))}</pre>
 *
 * <p>Delivery is at least once: a batch is published, then marked sent in the same transaction, so a crash or
 * undeploy between the two publishes the batch again. Consumers must deduplicate on {@link DomainEvent#id()}.
 * Across backends one relay is active at a time (a transaction-scoped advisory lock per batch), so events reach the
 * bus in outbox id order; events of one aggregate, written by transactions the database serializes, keep their order.
 * Rows relayed more than a week ago are deleted once the workflows' catch-up has read past them ({@link OutboxPurge}).
 * Each backend counts the events it relayed in {@code boxoffice_outbox_relayed_events_total}. A row's trace header
 * travels as the message header {@link #TRACE_HEADER}.
 */
public final class OutboxRelayVerticle extends VerticleBase {

  public static final String ADDRESS = "boxoffice.domain-events";
  /**
   * The message header carrying the X-Ray trace header of the request that wrote the event's row, when it had one:
   * the workflow the event starts continues that trace.
   */
  public static final String TRACE_HEADER = "traceHeader";

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelayVerticle.class);
  private static final Duration PURGE_INTERVAL = Duration.ofMinutes(10);
  /**
   * The advisory lock key that elects the active relay; any constant no other code locks on. Public for the tests
   * that hold the relay still to leave the outbox as a backend dying between relaying and handling would.
   */
  public static final long RELAY_LOCK = 0x626f786f6666L;
  private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1) AS locked";
  private static final String UNSENT = "SELECT id, payload::text AS payload, trace_header FROM outbox"
      + " WHERE sent_at IS NULL ORDER BY id LIMIT $1";
  // By id, never "up to the last id": a row with a lower id may commit after this batch was read.
  private static final String MARK_SENT = "UPDATE outbox SET sent_at = now() WHERE id = ANY($1)";

  private final Pool pool;
  private final Config.OutboxRelay settings;
  private final Counter relayed;
  private final DeliveryOptions delivery = new DeliveryOptions().setCodecName(DomainEventCodec.NAME);
  private boolean stopping;
  private boolean failing;
  private long heldAt = -1;
  private long timer = -1;
  private long purgeTimer = -1;
  private Future<Integer> round = Future.succeededFuture(0);

  public OutboxRelayVerticle(Pool pool, Config.OutboxRelay settings, MeterRegistry metrics) {
    this.pool = pool;
    this.settings = settings;
    this.relayed = Counter.builder("boxoffice.outbox.relayed.events")
        .description("Domain events this backend published from the outbox (marked sent in the same transaction)")
        .register(metrics);
  }

  public static String addressOf(String type) {
    return ADDRESS + "." + type;
  }

  @Override
  public Future<?> start() {
    vertx.eventBus().registerCodec(new DomainEventCodec());
    relayNow();
    purgeTimer = vertx.setTimer(PURGE_INTERVAL.toMillis(), ignored -> purgeOldRows());
    return Future.succeededFuture();
  }

  /** A chunk of old rows every {@link #PURGE_INTERVAL}, or right after a full chunk while more are waiting. */
  private void purgeOldRows() {
    if (stopping) {
      return;
    }
    OutboxPurge.purgeOldest(pool, OutboxPurge.RETENTION, OutboxPurge.CHUNK)
        .otherwise(failure -> {
          LOG.warn("could not delete old outbox rows; retrying in {}: {}", PURGE_INTERVAL, failure.toString());
          return 0;
        })
        .onSuccess(deleted -> {
          if (!stopping) {
            purgeTimer = vertx.setTimer(deleted == OutboxPurge.CHUNK ? 1_000 : PURGE_INTERVAL.toMillis(),
                ignored -> purgeOldRows());
          }
        });
  }

  /** Finishes the batch in flight (published batches get marked sent) and stops. */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    vertx.cancelTimer(purgeTimer);
    return round.otherwiseEmpty().eventually(() -> {
      vertx.eventBus().unregisterCodec(DomainEventCodec.NAME);
      return Future.succeededFuture();
    });
  }

  private void relayNow() {
    if (stopping) {
      return;
    }
    round = pool.withTransaction(this::relayBatch)
        .onSuccess(relayed -> {
          if (failing) {
            LOG.info("outbox relay recovered");
            failing = false;
          }
          scheduleNext(relayed == settings.batchSize());
        })
        .onFailure(failure -> {
          // Once per outage, not at every poll while the database is away.
          if (!failing && !stopping) {
            LOG.warn("outbox relay round failed; retrying every {} ms", settings.pollInterval().toMillis(), failure);
          }
          failing = true;
          scheduleNext(false);
        });
  }

  private void scheduleNext(boolean backlog) {
    if (stopping) {
      return;
    }
    if (backlog) {
      vertx.runOnContext(ignored -> relayNow());
    } else {
      timer = vertx.setTimer(settings.pollInterval().toMillis(), ignored -> relayNow());
    }
  }

  private Future<Integer> relayBatch(SqlConnection tx) {
    return tx.preparedQuery(TRY_LOCK).execute(Tuple.of(RELAY_LOCK))
        .compose(lock -> lock.iterator().next().getBoolean("locked")
            ? tx.preparedQuery(UNSENT).execute(Tuple.of(settings.batchSize())).compose(rows -> publishAndMark(tx, rows))
            : Future.succeededFuture(0));
  }

  /** How many rows were relayed; 0 when held at an unreadable row, so the relay waits before looking again. */
  private Future<Integer> publishAndMark(SqlConnection tx, RowSet<Row> rows) {
    List<Long> published = publish(rows);
    if (published.isEmpty()) {
      return Future.succeededFuture(0);
    }
    int relayedAll = published.size() == rows.size() ? published.size() : 0;
    return tx.preparedQuery(MARK_SENT).execute(Tuple.of(published.toArray(Long[]::new)))
        .onSuccess(marked -> relayed.increment(published.size()))
        .map(relayedAll);
  }

  /** Publishes rows in order up to the first it cannot read, which stays unsent for a relay that can. */
  private List<Long> publish(Iterable<Row> rows) {
    EventBus bus = vertx.eventBus();
    List<Long> published = new ArrayList<>();
    for (Row row : rows) {
      long id = row.getLong("id");
      DomainEvent event;
      try {
        event = DomainEvents.fromJson(row.getString("payload"));
      } catch (JsonProcessingException e) {
        if (heldAt != id) {
          LOG.error("outbox row {} is not a domain event this relay knows; holding the outbox at it: {}", id,
              e.getOriginalMessage());
          heldAt = id;
        }
        break;
      }
      String traceHeader = row.getString("trace_header");
      DeliveryOptions options = traceHeader == null ? delivery
          : new DeliveryOptions(delivery).addHeader(TRACE_HEADER, traceHeader);
      bus.publish(ADDRESS, event, options);
      bus.publish(addressOf(event.type()), event, options);
      published.add(id);
    }
    return published;
  }
}
