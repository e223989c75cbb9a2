package dev.boxoffice.backend.outbox;

import dev.boxoffice.backend.TestServers;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.db.Migrations;
import dev.boxoffice.local.servers.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/**
 * A freshly migrated database of the test JVM's PostgreSQL for one test class. Other classes' backends run their own
 * relays on the shared database, and a relay there would publish this class's rows on its own event bus.
 */
public final class OwnDatabase {

  private OwnDatabase() {
  }

  public static Config.Database create(String purpose) {
    LocalPostgres pg = TestServers.postgres();
    Config.Database shared = new Config.Database(pg.host(), pg.port(), pg.database(), pg.user(), "", "disable",
        Optional.empty(), 4);
    String name = purpose + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection connection = DriverManager.getConnection(shared.jdbcUrl(), shared.user(), "");
         Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the test database " + name, e);
    }
    Config.Database own = new Config.Database(pg.host(), pg.port(), name, pg.user(), "", "disable", Optional.empty(),
        4);
    Migrations.migrate(own);
    return own;
  }
}
