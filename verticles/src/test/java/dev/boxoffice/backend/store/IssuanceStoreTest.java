package dev.boxoffice.backend.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.db.Databases;
import dev.boxoffice.backend.outbox.OwnDatabase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Issuance batches and their chunks' outcomes")
class IssuanceStoreTest {

  private static final UUID EVENT = UUID.fromString("00000000-0000-7000-8000-000000000001");
  private static final UUID TICKET_TYPE = UUID.fromString("00000000-0000-7000-8000-000000000002");

  private static Vertx vertx;
  private static Pool pool;
  private static IssuanceStore store;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    pool = Databases.pool(vertx, OwnDatabase.create("issuance_store_test"));
    store = new IssuanceStore(pool);
    pool.query("INSERT INTO events (id, organizer_email, title, description, category, venue, city, starts_at,"
        + " ends_at, time_zone, status) VALUES ('" + EVENT + "', 'o@example.org', 'Rush', '', 'concert', 'Hall',"
        + " 'Lyon', now() + interval '1 day', now() + interval '2 days', 'Europe/Paris', 'published')").execute()
        .await();
    pool.query("INSERT INTO ticket_types (id, event_id, name, price_minor, currency, capacity, sold, sales_start,"
        + " sales_end, max_per_order) VALUES ('" + TICKET_TYPE + "', '" + EVENT + "', 'Floor', 0, 'EUR', 1000, 0,"
        + " now() - interval '1 day', now() + interval '1 day', 10)").execute().await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @Test
  @DisplayName("the last two chunks of a batch applied at once finish it (each used to see the other's tickets"
      + " pending, and the batch waited for its overdue look)")
  void concurrentOutcomesFinishTheBatch() {
    int batches = 30;
    List<Future<Void>> applied = new ArrayList<>();
    List<UUID[]> chunks = new ArrayList<>();
    for (int batch = 0; batch < batches; batch++) {
      UUID batchId = UUID.randomUUID();
      pool.preparedQuery("INSERT INTO issuance_batches (id, started_at) VALUES ($1, now())")
          .execute(Tuple.of(batchId)).await();
      chunks.add(new UUID[] {batchId, order(batchId), order(batchId)});
    }
    for (UUID[] chunk : chunks) {
      applied.add(store.applyOutcome(chunk[0], List.of(chunk[1]), List.of("tickets/" + chunk[1] + ".png"), List.of()));
      applied.add(store.applyOutcome(chunk[0], List.of(chunk[2]), List.of("tickets/" + chunk[2] + ".png"), List.of()));
    }
    Future.all(applied).await();

    assertThat(count("SELECT count(*) FROM tickets WHERE qr_status = 'ready'")).isEqualTo(2L * batches);
    assertThat(count("SELECT count(*) FROM issuance_batches WHERE finished_at IS NULL")).as("batches left unfinished")
        .isZero();
  }

  /** An order of one ticket in the batch, pending; returns the ticket's id. */
  private static UUID order(UUID batchId) {
    UUID orderId = UUID.randomUUID();
    UUID ticketId = UUID.randomUUID();
    String buyer = "b-" + orderId + "@example.org";
    pool.preparedQuery("INSERT INTO orders (id, ticket_type_id, event_id, buyer_email, quantity, unit_price_minor,"
            + " total_minor, currency, placed_at, awaiting_issuance, issuance_batch_id)"
            + " VALUES ($1, $2, $3, $4, 1, 0, 0, 'EUR', now(), false, $5)")
        .execute(Tuple.of(orderId, TICKET_TYPE, EVENT, buyer, batchId)).await();
    pool.preparedQuery("INSERT INTO tickets (id, order_id, ticket_type_id, event_id, buyer_email, status, issued_at)"
            + " VALUES ($1, $2, $3, $4, $5, 'valid', now())")
        .execute(Tuple.of(ticketId, orderId, TICKET_TYPE, EVENT, buyer)).await();
    return ticketId;
  }

  private static long count(String sql) {
    return pool.query(sql).execute().await().iterator().next().getLong(0);
  }
}
