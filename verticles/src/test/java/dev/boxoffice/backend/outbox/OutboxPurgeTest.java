package dev.boxoffice.backend.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.db.Databases;
import dev.boxoffice.backend.store.NoticeCatchUpStore;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class OutboxPurgeTest {

  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void start() {
    Config.Database database = OwnDatabase.create("outbox_purge_test");
    vertx = Vertx.vertx();
    pool = Databases.pool(vertx, database);
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  @BeforeEach
  void emptyOutbox() {
    pool.query("DELETE FROM outbox").execute().await();
  }

  @Test
  @DisplayName("only rows relayed over a week ago that the catch-up has read are deleted, oldest first")
  void deletesWhatIsOldRelayedAndRead() {
    String oldAndRead = insert("8 days");
    String oldAndReadToo = insert("10 days");
    String recent = insert("1 day");
    String unsent = insert(null);
    long cursor = idOf(unsent);
    String oldButUnread = insert("9 days");
    pool.preparedQuery("UPDATE workflow_catch_up SET last_outbox_id = $1").execute(Tuple.of(cursor)).await();

    int deleted = OutboxPurge.purgeOldest(pool, OutboxPurge.RETENTION, OutboxPurge.CHUNK).await();

    assertThat(deleted).isEqualTo(2);
    assertThat(remaining()).containsExactly(recent, unsent, oldButUnread);
    assertThat(remaining()).doesNotContain(oldAndRead, oldAndReadToo);
  }

  @Test
  @DisplayName("a round deletes at most one chunk of the oldest rows")
  void oneChunkARound() {
    List<String> old = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      old.add(insert("30 days"));
    }
    pool.preparedQuery("UPDATE workflow_catch_up SET last_outbox_id = $1").execute(Tuple.of(idOf(old.get(4))))
        .await();

    assertThat(OutboxPurge.purgeOldest(pool, Duration.ofDays(7), 3).await()).isEqualTo(3);
    assertThat(remaining()).containsExactly(old.get(3), old.get(4));
    assertThat(OutboxPurge.purgeOldest(pool, Duration.ofDays(7), 3).await()).isEqualTo(2);
    assertThat(remaining()).isEmpty();
  }

  @Test
  @DisplayName("the record that SNS took a buyer notice goes with its outbox row; a row already gone gets none")
  void noticeRecordsGoWithTheirRows() {
    String old = insert("8 days");
    String recent = insert("1 day");
    pool.preparedQuery("UPDATE workflow_catch_up SET last_outbox_id = $1").execute(Tuple.of(idOf(recent))).await();
    new NoticeCatchUpStore(pool).recordPublished(List.of(UUID.fromString(old), UUID.fromString(recent),
        UUID.randomUUID())).await();
    assertThat(recordedNotices()).containsExactlyInAnyOrder(old, recent);

    OutboxPurge.purgeOldest(pool, OutboxPurge.RETENTION, OutboxPurge.CHUNK).await();

    assertThat(recordedNotices()).containsExactly(recent);
  }

  /** An outbox row sent {@code sentAgo} ago (a PostgreSQL interval), or unsent when null; returns its event id. */
  private static String insert(String sentAgo) {
    UUID eventId = UUID.randomUUID();
    pool.preparedQuery("INSERT INTO outbox (event_id, type, aggregate_id, payload, occurred_at, sent_at)"
            + " VALUES ($1, 'OrderPlaced', $2, '{}'::jsonb, now(), now() - $3::text::interval)")
        .execute(Tuple.of(eventId, UUID.randomUUID(), sentAgo)).await();
    return eventId.toString();
  }

  private static long idOf(String eventId) {
    return pool.preparedQuery("SELECT id FROM outbox WHERE event_id = $1").execute(Tuple.of(UUID.fromString(eventId)))
        .await().iterator().next().getLong("id");
  }

  private static List<String> recordedNotices() {
    List<String> eventIds = new ArrayList<>();
    for (Row row : pool.query("SELECT event_id FROM buyer_notices_published").execute().await()) {
      eventIds.add(row.getUUID("event_id").toString());
    }
    return eventIds;
  }

  private static List<String> remaining() {
    List<String> eventIds = new ArrayList<>();
    for (Row row : pool.query("SELECT event_id FROM outbox ORDER BY id").execute().await()) {
      eventIds.add(row.getUUID("event_id").toString());
    }
    return eventIds;
  }
}
