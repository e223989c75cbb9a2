package dev.boxoffice.backend.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.TestServers;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.local.servers.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MigrationsTest {

  @Test
  @DisplayName("migrations apply on the real PostgreSQL and a second run changes nothing")
  void migratesIdempotently() throws Exception {
    LocalPostgres pg = TestServers.postgres();
    Config.Database database = new Config.Database(pg.host(), pg.port(), pg.database(), pg.user(), "", "disable",
        Optional.empty(), 4);

    Migrations.migrate(database);
    assertThat(Migrations.migrate(database).migrationsExecuted).isZero();

    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), "");
         ResultSet rows = connection.createStatement().executeQuery(
             "SELECT count(*) FROM flyway_schema_history WHERE success AND version = '1'")) {
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(1);
    }
    try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), database.user(), "");
         ResultSet rows = connection.createStatement().executeQuery("""
             SELECT array_to_string(s.setconfig, ',') FROM pg_db_role_setting s
             JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database()""")) {
      rows.next();
      assertThat(rows.getString(1)).contains("TimeZone=UTC");
    }
  }
}
