package dev.boxoffice.backend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a backend does with the requests it holds when ECS stops its task (SIGTERM, after the load balancer has
 * deregistered it): it stops taking connections but finishes what it started, so a rolling restart fails nobody.
 */
class GracefulShutdownTest {

  private static final int PURCHASES = 12;

  @Test
  @DisplayName("purchases in flight when the backend is told to stop are committed and answered 201 before it stops")
  void inFlightPurchasesAreAnsweredOnStop() throws Exception {
    Config config = TestServers.config(Files.createTempDirectory("static"), TestServers.redis());
    TestApi api = TestApi.start(config);
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Last orders"), 100, 4);
    CompletableFuture<Void> stopped;
    List<Future<HttpResponse<Buffer>>> purchases = new ArrayList<>();
    try (Connection rowLock = DriverManager.getConnection(config.database().jdbcUrl(), config.database().user(), "")) {
      // The purchases' batch waits behind this lock on the ticket type's row, so it is surely in flight at the stop.
      rowLock.setAutoCommit(false);
      try (PreparedStatement lock = rowLock.prepareStatement("SELECT 1 FROM ticket_types WHERE id = ? FOR UPDATE")) {
        lock.setObject(1, UUID.fromString(ticketTypeId));
        lock.executeQuery().close();
      }
      for (int i = 0; i < PURCHASES; i++) {
        purchases.add(api.purchase(ticketTypeId, api.buyerToken("last-orders-" + i + "@example.org"), TestApi.newKey(),
            1));
      }
      awaitWaitingOnLock(config, ticketTypeId);

      stopped = CompletableFuture.runAsync(() -> {
        try {
          api.app().close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(500);
      assertThat(stopped).as("the backend waits for the purchases it holds").isNotDone();
      rowLock.rollback();
    }

    for (Future<HttpResponse<Buffer>> purchase : purchases) {
      HttpResponse<Buffer> answer = purchase.await(30, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.bodyAsString()).isEqualTo(201);
    }
    stopped.get(30, TimeUnit.SECONDS);
    assertThat(soldOf(config, ticketTypeId)).isEqualTo(PURCHASES);
  }

  /**
   * Until a session of the backend waits for a lock: its purchase batch is blocked on the row. Asked on a connection
   * of its own, outside the lock's transaction, which would see one snapshot of pg_stat_activity.
   */
  private static void awaitWaitingOnLock(Config config, String ticketTypeId) throws Exception {
    long deadline = System.currentTimeMillis() + 10_000;
    try (Connection connection = DriverManager.getConnection(config.database().jdbcUrl(), config.database().user(), "");
         PreparedStatement waiting = connection.prepareStatement(
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()")) {
      while (System.currentTimeMillis() < deadline) {
        try (ResultSet rows = waiting.executeQuery()) {
          rows.next();
          if (rows.getInt(1) > 0) {
            return;
          }
        }
        Thread.sleep(20);
      }
    }
    throw new AssertionError("no purchase batch of ticket type " + ticketTypeId + " ever waited on its row");
  }

  private static int soldOf(Config config, String ticketTypeId) throws Exception {
    try (Connection connection = DriverManager.getConnection(config.database().jdbcUrl(), config.database().user(), "");
         PreparedStatement sold = connection.prepareStatement("SELECT sold FROM ticket_types WHERE id = ?")) {
      sold.setObject(1, UUID.fromString(ticketTypeId));
      try (ResultSet rows = sold.executeQuery()) {
        rows.next();
        return rows.getInt(1);
      }
    }
  }
}
