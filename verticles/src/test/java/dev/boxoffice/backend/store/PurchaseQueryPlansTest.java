package dev.boxoffice.backend.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.outbox.OwnDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The purchase batch's idempotency-key lookup keeps the plan a prepared statement gets while its table is empty, at
 * the start of a rush, for the whole rush. That plan must probe the primary key per request, never scan the table.
 */
class PurchaseQueryPlansTest {

  @Test
  @DisplayName("the idempotency-key lookup planned on an empty table probes the primary key and scans nothing")
  void keyLookupUsesTheIndexWhenPlannedOnAnEmptyTable() throws SQLException {
    Config.Database database = OwnDatabase.create("plans");
    List<String> plan = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), "");
         Statement statement = connection.createStatement()) {
      statement.execute("SET plan_cache_mode = force_generic_plan");
      statement.execute("PREPARE known_keys(text[], text[]) AS " + PurchaseBatch.KNOWN_KEYS);
      try (ResultSet rows = statement.executeQuery(
          "EXPLAIN EXECUTE known_keys('{a@example.org,b@example.org}', '{key-1,key-2}')")) {
        while (rows.next()) {
          plan.add(rows.getString(1));
        }
      }
    }
    assertThat(String.join("\n", plan))
        .contains("Index Scan using idempotency_keys_pkey")
        .doesNotContain("Seq Scan on idempotency_keys")
        .doesNotContain("Hash Join");
  }
}
