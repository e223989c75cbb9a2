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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The door's reads stay index probes on an event of 100,000 tickets: the list of tickets that no longer admit walks
 * its partial index in id order, and the conflict count reads the conflicts' partial index, never the whole tables.
 * Plans are generic (what a prepared statement keeps), on tables filled as such an event would fill them.
 */
class DoorQueryPlansTest {

  private static Config.Database database;

  @BeforeAll
  static void fillOneBigEvent() throws SQLException {
    database = OwnDatabase.create("door_plans");
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), "");
         Statement statement = connection.createStatement()) {
      statement.execute("INSERT INTO events (id, organizer_email, title, description, category, venue, city,"
          + " starts_at, ends_at, time_zone, status) VALUES ('00000000-0000-7000-8000-000000000001', 'o@example.org',"
          + " 'Big', '', 'concert', 'Stadium', 'Lyon', now(), now() + interval '3 hours', 'Europe/Paris',"
          + " 'published')");
      statement.execute("INSERT INTO ticket_types (id, event_id, name, price_minor, currency, capacity, sold,"
          + " sales_start, sales_end, max_per_order) VALUES ('00000000-0000-7000-8000-000000000002',"
          + " '00000000-0000-7000-8000-000000000001', 'Pit', 100, 'EUR', 100000, 100000, now() - interval '1 day',"
          + " now(), 10)");
      statement.execute("INSERT INTO orders (id, ticket_type_id, event_id, buyer_email, quantity, unit_price_minor,"
          + " total_minor, currency, placed_at) SELECT ('00000000-0000-7000-8001-' || lpad(to_hex(n), 12, '0'))::uuid,"
          + " '00000000-0000-7000-8000-000000000002', '00000000-0000-7000-8000-000000000001',"
          + " 'b' || n || '@example.org', 1, 100, 100, 'EUR', now() FROM generate_series(1, 100000) AS n");
      statement.execute("INSERT INTO tickets (id, order_id, ticket_type_id, event_id, buyer_email, status,"
          + " checked_in_at, issued_at) SELECT ('00000000-0000-7000-8002-' || lpad(to_hex(n), 12, '0'))::uuid,"
          + " ('00000000-0000-7000-8001-' || lpad(to_hex(n), 12, '0'))::uuid, '00000000-0000-7000-8000-000000000002',"
          + " '00000000-0000-7000-8000-000000000001', 'b' || n || '@example.org',"
          + " CASE WHEN n % 50 = 0 THEN 'cancelled' WHEN n % 3 = 0 THEN 'checked_in' ELSE 'valid' END,"
          + " CASE WHEN n % 50 <> 0 AND n % 3 = 0 THEN now() END, now() FROM generate_series(1, 100000) AS n");
      statement.execute("INSERT INTO door_scans (id, ticket_id, event_id, scanned_at, scanned_by, offline, outcome)"
          + " SELECT gen_random_uuid(), id, event_id, checked_in_at, 'door@example.org', false, 'first' FROM tickets"
          + " WHERE status = 'checked_in'");
      statement.execute("INSERT INTO door_scans (id, ticket_id, event_id, scanned_at, scanned_by, offline, outcome)"
          + " SELECT gen_random_uuid(), id, event_id, checked_in_at + interval '1 minute', 'door@example.org', true,"
          + " 'duplicate' FROM tickets WHERE status = 'checked_in' LIMIT 20");
      statement.execute("ANALYZE");
    }
  }

  @Test
  @DisplayName("a page of tickets that no longer admit probes tickets_not_admitting in id order, no sort, no scan")
  void ticketListUsesItsIndex() throws SQLException {
    String plan = genericPlan("door_list(uuid, uuid, int)", DoorStore.NOT_ADMITTING,
        "'00000000-0000-7000-8000-000000000001', NULL, 10001");

    assertThat(plan).contains("Index Scan using tickets_not_admitting")
        .doesNotContain("Seq Scan").doesNotContain("Sort");
  }

  @Test
  @DisplayName("the conflict count reads door_scans_conflicts only")
  void conflictCountUsesItsIndex() throws SQLException {
    String plan = genericPlan("conflict_count(uuid)", DoorStore.CONFLICT_COUNT,
        "'00000000-0000-7000-8000-000000000001'");

    assertThat(plan).contains("door_scans_conflicts").doesNotContain("Seq Scan");
  }

  private static String genericPlan(String signature, String sql, String arguments) throws SQLException {
    List<String> plan = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), "");
         Statement statement = connection.createStatement()) {
      statement.execute("SET plan_cache_mode = force_generic_plan");
      statement.execute("PREPARE " + signature + " AS " + sql);
      String name = signature.substring(0, signature.indexOf('('));
      try (ResultSet rows = statement.executeQuery("EXPLAIN EXECUTE " + name + "(" + arguments + ")")) {
        while (rows.next()) {
          plan.add(rows.getString(1));
        }
      }
    }
    return String.join("\n", plan);
  }
}
