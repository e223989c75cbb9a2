package dev.boxoffice.backend.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.db.Databases;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.DomainEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OutboxTest {

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    Config.Database database = OwnDatabase.create("outbox_test");
    vertx = Vertx.vertx();
    pool = Databases.pool(vertx, database);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  @DisplayName("events appended in a transaction are stored unsent, in list order, in their codecs JSON form")
  void appendsInOrder() throws Exception {
    List<DomainEvent> events = TestEvents.interleavedHistories(3, 2);

    pool.withTransaction(tx -> Outbox.appendAll(tx, events)).await();

    List<Row> rows = rowsOf(events);
    assertThat(rows).hasSize(events.size());
    for (int i = 0; i < events.size(); i++) {
      DomainEvent event = events.get(i);
      Row row = rows.get(i);
      assertThat(row.getUUID("event_id")).isEqualTo(event.id());
      assertThat(row.getString("type")).isEqualTo(event.type());
      assertThat(row.getUUID("aggregate_id")).isEqualTo(event.aggregateId());
      assertThat(DomainEvents.fromJson(row.getString("payload"))).isEqualTo(event);
      assertThat(row.getOffsetDateTime("occurred_at").toInstant()).isEqualTo(event.occurredAt());
      assertThat(row.getValue("sent_at")).isNull();
    }
  }

  @Test
  @DisplayName("a rolled-back transaction leaves no outbox row behind")
  void rollbackLeavesNothing() {
    List<DomainEvent> events = TestEvents.orderHistory(1);

    Future<Object> failed = pool.withTransaction(tx -> Outbox.append(tx, events.get(0))
        .compose(appended -> Future.failedFuture(new IllegalStateException("sold out after all"))));

    assertThatThrownBy(failed::await).hasMessage("sold out after all");
    assertThat(rowsOf(events)).isEmpty();
  }

  @Test
  @DisplayName("appending an event id twice fails with 23505 and takes the transaction's other rows with it")
  void duplicateIdRefused() {
    List<DomainEvent> events = TestEvents.orderHistory(2);
    pool.withTransaction(tx -> Outbox.append(tx, events.get(0))).await();

    Future<Void> duplicate = pool.withTransaction(tx -> Outbox.append(tx, events.get(1))
        .compose(appended -> Outbox.append(tx, events.get(0))));

    assertThatThrownBy(duplicate::await).isInstanceOfSatisfying(PgException.class,
        failure -> assertThat(failure.getSqlState()).isEqualTo("23505"));
    assertThat(rowsOf(events)).extracting(row -> row.getUUID("event_id")).containsExactly(events.get(0).id());
  }

  @Test
  @DisplayName("a batch of 5,000 events from many orders goes in with one insert, in order")
  void largeBatch() {
    List<DomainEvent> events = TestEvents.interleavedHistories(1000, 3);

    pool.withTransaction(tx -> Outbox.appendAll(tx, events)).await();

    assertThat(rowsOf(events)).extracting(row -> row.getUUID("event_id"))
        .containsExactlyElementsOf(events.stream().map(DomainEvent::id).toList());
  }

  @Test
  @DisplayName("an empty batch writes nothing and succeeds")
  void emptyBatch() {
    long before = outboxSize();

    pool.withTransaction(tx -> Outbox.appendAll(tx, List.of())).await();

    assertThat(outboxSize()).isEqualTo(before);
  }

  private static long outboxSize() {
    return pool.query("SELECT count(*) AS size FROM outbox").execute().await().iterator().next().getLong("size");
  }

  private static List<Row> rowsOf(List<DomainEvent> events) {
    UUID[] ids = events.stream().map(DomainEvent::id).toArray(UUID[]::new);
    List<Row> rows = new ArrayList<>();
    pool.preparedQuery("SELECT event_id, type, aggregate_id, payload::text AS payload, occurred_at, sent_at "
            + "FROM outbox WHERE event_id = ANY($1) ORDER BY id")
        .execute(Tuple.of(ids)).await().forEach(rows::add);
    return rows;
  }
}
