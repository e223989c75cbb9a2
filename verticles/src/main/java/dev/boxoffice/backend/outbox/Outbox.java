package dev.boxoffice.backend.outbox;

import dev.boxoffice.backend.tracing.TraceHeaders;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.DomainEvents;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Writes domain events to the outbox table inside the caller's transaction, so an event exists exactly when the
 * change it describes was committed. Call it from {@code pool.withTransaction(conn -> ...)} with that {@code conn}.
 * A duplicate {@link DomainEvent#id()} fails the insert with PostgreSQL's 23505 and so the whole transaction.
 * Each row keeps the X-Ray trace header of the request that wrote it ({@link TraceHeaders}), which the relay hands to
 * the workflow the event starts.
 */
public final class Outbox {

  // One statement whatever the batch size: rows keep the list's order, so their ids (the relay's order) do too.
  private static final String INSERT = """
      INSERT INTO outbox (event_id, type, aggregate_id, payload, occurred_at, trace_header)
      SELECT event_id, type, aggregate_id, payload::jsonb, occurred_at, trace_header
      FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::timestamptz[], $6::text[])
        WITH ORDINALITY AS e(event_id, type, aggregate_id, payload, occurred_at, trace_header, position)
      ORDER BY position""";

  private Outbox() {
  }

  public static Future<Void> append(SqlConnection tx, DomainEvent event) {
    return appendAll(tx, List.of(event));
  }

  /**
   * Appends {@code events} in list order with one multi-row insert, each with the trace header of the request the
   * caller serves (none outside one).
   */
  public static Future<Void> appendAll(SqlConnection tx, List<? extends DomainEvent> events) {
    String traceHeader = TraceHeaders.current();
    return appendAll(tx, events, event -> traceHeader);
  }

  /**
   * As {@link #appendAll(SqlConnection, List)}, with each event's own trace header (null: none): a purchase batch
   * writes the events of many requests.
   */
  public static Future<Void> appendAll(SqlConnection tx, List<? extends DomainEvent> events,
                                       Function<DomainEvent, String> traceHeaderOf) {
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    int size = events.size();
    UUID[] ids = new UUID[size];
    String[] types = new String[size];
    UUID[] aggregates = new UUID[size];
    String[] payloads = new String[size];
    OffsetDateTime[] occurred = new OffsetDateTime[size];
    String[] traceHeaders = new String[size];
    for (int i = 0; i < size; i++) {
      DomainEvent event = events.get(i);
      ids[i] = event.id();
      types[i] = event.type();
      aggregates[i] = event.aggregateId();
      payloads[i] = DomainEvents.toJson(event);
      occurred[i] = event.occurredAt().atOffset(ZoneOffset.UTC);
      traceHeaders[i] = traceHeaderOf.apply(event);
    }
    return tx.preparedQuery(INSERT)
        .execute(Tuple.of(ids, types, aggregates, payloads, occurred, traceHeaders))
        .mapEmpty();
  }
}
