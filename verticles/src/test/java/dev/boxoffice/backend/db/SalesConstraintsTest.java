package dev.boxoffice.backend.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.outbox.OwnDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The schema's last line of defence, written around the Java: rows of one sale must agree on their event. */
class SalesConstraintsTest {

  private static final UUID EVENT = UUID.randomUUID();
  private static final UUID OTHER_EVENT = UUID.randomUUID();
  private static final UUID TICKET_TYPE = UUID.randomUUID();
  private static final UUID ORDER = UUID.randomUUID();

  private static Config.Database database;

  @BeforeAll
  static void sale() throws SQLException {
    database = OwnDatabase.create("constraints");
    for (UUID event : new UUID[] {EVENT, OTHER_EVENT}) {
      execute("INSERT INTO events (id, organizer_email, title, description, category, venue, city, starts_at, ends_at,"
          + " time_zone) VALUES ('" + event + "', 'o@example.org', 't', 'd', 'c', 'v', 'c', now() + interval '1 day',"
          + " now() + interval '2 days', 'UTC')");
    }
    execute("INSERT INTO ticket_types (id, event_id, name, price_minor, currency, capacity, sales_start, sales_end,"
        + " max_per_order) VALUES ('" + TICKET_TYPE + "', '" + EVENT + "', 'n', 100, 'EUR', 10, now(),"
        + " now() + interval '1 day', 4)");
    execute(order(ORDER, EVENT));
  }

  @Test
  @DisplayName("a ticket of its order's event and ticket type is stored")
  void agreeingTicket() throws SQLException {
    execute(ticket(ORDER, EVENT));
  }

  @Test
  @DisplayName("a ticket naming another event than its order's is refused")
  void ticketOfAnotherEvent() {
    assertThatThrownBy(() -> execute(ticket(ORDER, OTHER_EVENT)))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"))
        .hasMessageContaining("tickets_of_order");
  }

  @Test
  @DisplayName("an order naming another event than its ticket type's is refused")
  void orderOfAnotherEvent() {
    assertThatThrownBy(() -> execute(order(UUID.randomUUID(), OTHER_EVENT)))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"))
        .hasMessageContaining("orders_of_ticket_type");
  }

  @Test
  @DisplayName("a ticket of no order is refused")
  void ticketOfNoOrder() {
    assertThatThrownBy(() -> execute(ticket(UUID.randomUUID(), EVENT)))
        .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23503"));
  }

  private static String order(UUID id, UUID event) {
    return "INSERT INTO orders (id, ticket_type_id, event_id, buyer_email, quantity, unit_price_minor, total_minor,"
        + " currency, placed_at) VALUES ('" + id + "', '" + TICKET_TYPE + "', '" + event + "', 'b@example.org', 1,"
        + " 100, 100, 'EUR', now())";
  }

  private static String ticket(UUID order, UUID event) {
    return "INSERT INTO tickets (id, order_id, ticket_type_id, event_id, buyer_email, issued_at) VALUES ('"
        + TimeOrderedIds.next() + "', '" + order + "', '" + TICKET_TYPE + "', '" + event + "', 'b@example.org', now())";
  }

  private static void execute(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), "");
         Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
