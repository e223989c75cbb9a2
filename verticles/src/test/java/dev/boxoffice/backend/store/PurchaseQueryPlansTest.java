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
 * The purchase batch's lookups keep the plan a prepared statement gets while its tables are empty, at the start of a
 * rush, for the whole rush. Those plans must probe an index per request, never scan a table.
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

  @Test
  @DisplayName("the count of a buyer's tickets planned on empty tables probes the buyer indexes of orders and holds")
  void buyerCountUsesTheIndexesWhenPlannedOnEmptyTables() throws SQLException {
    Config.Database database = OwnDatabase.create("buyer_plans");
    String plan;
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), "");
         Statement statement = connection.createStatement()) {
      statement.execute("SET plan_cache_mode = force_generic_plan");
      statement.execute("PREPARE taken(uuid, text[], uuid) AS " + BuyerAllowances.TAKEN);
      plan = explain(statement, "EXPLAIN EXECUTE taken('00000000-0000-4000-8000-000000000000',"
          + " '{a@example.org,b@example.org}', NULL)");
    }
    assertThat(plan)
        .containsPattern("Index Scan (Only )?using orders_by_buyer|Bitmap Index Scan on orders_by_buyer")
        .containsPattern("Index Scan (Only )?using holds_active_by_buyer|Bitmap Index Scan on holds_active_by_buyer")
        .doesNotContain("Seq Scan on orders")
        .doesNotContain("Seq Scan on holds");
  }

  private static String explain(Statement statement, String sql) throws SQLException {
    List<String> plan = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        plan.add(rows.getString(1));
      }
    }
    return String.join("\n", plan);
  }
}
