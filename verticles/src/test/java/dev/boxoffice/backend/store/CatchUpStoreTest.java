package dev.boxoffice.backend.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.db.Databases;
import dev.boxoffice.backend.outbox.OwnDatabase;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The workflows' catch-up cursor over rows of types nobody catches up")
class CatchUpStoreTest {

  private static final Duration SETTLE = Duration.ofMinutes(1);
  private static final String[] CAUGHT_UP = {"EventPublished", "OrderCancelled"};

  private static Vertx vertx;
  private static Pool pool;
  private static CatchUpStore store;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = Databases.pool(vertx, OwnDatabase.create("catch_up_store_test"));
    store = new CatchUpStore(pool);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @BeforeEach
  void emptyOutbox() {
    pool.query("DELETE FROM outbox").execute().await();
    pool.query("UPDATE workflow_catch_up SET last_outbox_id = 0").execute().await();
  }

  @Test
  @DisplayName("a sale's settled orders are passed, up to the first row relayed within the settle time")
  void passesSettledOrders() {
    insert("OrderPlaced", "10 minutes");
    long lastSettled = insert("OrderPlaced", "5 minutes");
    insert("OrderPlaced", "10 seconds");
    insert("OrderPlaced", null);

    store.advanceOverSettled(SETTLE, 0, CAUGHT_UP).await();

    assertThat(cursor()).isEqualTo(lastSettled);
  }

  @Test
  @DisplayName("never past a row of a caught-up type after the last one handled, settled or not")
  void stopsShortOfUnhandledRows() {
    long handled = insert("EventPublished", "10 minutes");
    long order = insert("OrderPlaced", "9 minutes");
    insert("OrderCancelled", "8 minutes");
    insert("OrderPlaced", "7 minutes");

    store.advanceOverSettled(SETTLE, handled, CAUGHT_UP).await();

    assertThat(cursor()).isEqualTo(order);
  }

  @Test
  @DisplayName("never back")
  void neverBack() {
    long order = insert("OrderPlaced", "10 minutes");
    insert("OrderPlaced", null);
    store.advance(order + 50).await();

    store.advanceOverSettled(SETTLE, 0, CAUGHT_UP).await();

    assertThat(cursor()).isEqualTo(order + 50);
  }

  /** An outbox row of {@code type} sent {@code sentAgo} ago (a PostgreSQL interval), or unsent; returns its id. */
  private static long insert(String type, String sentAgo) {
    return pool.preparedQuery("INSERT INTO outbox (event_id, type, aggregate_id, payload, occurred_at, sent_at)"
            + " VALUES ($1, $2, $3, '{}'::jsonb, now(), now() - $4::text::interval) RETURNING id")
        .execute(Tuple.of(UUID.randomUUID(), type, UUID.randomUUID(), sentAgo)).await().iterator().next().getLong("id");
  }

  private static long cursor() {
    return pool.query("SELECT last_outbox_id FROM workflow_catch_up").execute().await().iterator().next()
        .getLong("last_outbox_id");
  }
}
