package dev.boxoffice.local.servers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LocalPostgresTest {

  @Test
  @DisplayName("a durable server flushes every commit and keeps its data across a restart")
  void durableKeepsData() throws Exception {
    Path dataDir = Files.createTempDirectory("pg-durable");
    try (LocalPostgres postgres = LocalPostgres.start(dataDir, 0, "boxoffice", true)) {
      assertThat(setting(postgres, "fsync")).isEqualTo("on");
      assertThat(setting(postgres, "synchronous_commit")).isEqualTo("on");
      execute(postgres, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)");
    }
    try (LocalPostgres postgres = LocalPostgres.start(dataDir, 0, "boxoffice", true);
         Connection connection = connect(postgres);
         ResultSet rows = connection.createStatement().executeQuery("SELECT id FROM kept")) {
      assertThat(rows.next()).isTrue();
      assertThat(rows.getInt(1)).isEqualTo(42);
    }
  }

  @Test
  @DisplayName("a throw-away server for tests skips fsync")
  void throwAwaySkipsFsync() throws Exception {
    try (LocalPostgres postgres = LocalPostgres.start(Files.createTempDirectory("pg-fast"), 0, "boxoffice", false)) {
      assertThat(setting(postgres, "fsync")).isEqualTo("off");
    }
  }

  private static String setting(LocalPostgres postgres, String name) throws Exception {
    try (Connection connection = connect(postgres);
         ResultSet rows = connection.createStatement().executeQuery("SHOW " + name)) {
      rows.next();
      return rows.getString(1);
    }
  }

  private static void execute(LocalPostgres postgres, String sql) throws Exception {
    try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static Connection connect(LocalPostgres postgres) throws Exception {
    return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
  }
}
