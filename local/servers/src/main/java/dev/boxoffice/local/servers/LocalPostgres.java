package dev.boxoffice.local.servers;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;

/**
 * A real PostgreSQL server (zonky's embedded binaries) on 127.0.0.1 whose data directory outlives the process, so
 * the local stack keeps its data across restarts.
 */
public final class LocalPostgres implements AutoCloseable {

  public static final String USER = "postgres";

  private final EmbeddedPostgres postgres;
  private final String database;

  private LocalPostgres(EmbeddedPostgres postgres, String database) {
    this.postgres = postgres;
    this.database = database;
  }

  /**
   * Starts PostgreSQL on {@code port} (0 picks a free one) with its data in {@code dataDir}, creating
   * {@code database} when it does not exist yet.
   *
   * @param durable false trades crash safety for speed (no fsync), for throw-away test data only
   */
  public static LocalPostgres start(Path dataDir, int port, String database, boolean durable) throws IOException {
    Files.createDirectories(dataDir);
    StaleProcess.stopIfRunning(dataDir.resolve("postmaster.pid"), "postgres", Duration.ofSeconds(15));
    EmbeddedPostgres postgres = port > 0 ? builder(dataDir, port, durable).start() : startOnFreePort(dataDir, durable);
    try {
      createDatabaseIfMissing(postgres, database);
    } catch (SQLException e) {
      postgres.close();
      throw new IOException("could not create database " + database + ": " + e.getMessage(), e);
    }
    return new LocalPostgres(postgres, database);
  }

  /** A port picked for us can still be taken before PostgreSQL binds it (see {@link LoopbackPorts}): one more try. */
  private static EmbeddedPostgres startOnFreePort(Path dataDir, boolean durable) throws IOException {
    try {
      return builder(dataDir, LoopbackPorts.free(), durable).start();
    } catch (IOException portTakenMeanwhile) {
      return builder(dataDir, LoopbackPorts.free(), durable).start();
    }
  }

  private static EmbeddedPostgres.Builder builder(Path dataDir, int port, boolean durable) {
    // zonky starts PostgreSQL without fsync and with asynchronous commits; the local stack's data must survive.
    String safety = durable ? "on" : "off";
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDir)
        .setCleanDataDirectory(false)
        .setRegisterShutdownHook(false)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setPort(port)
        .setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "200")
        .setServerConfig("shared_buffers", "128MB")
        .setServerConfig("fsync", safety)
        .setServerConfig("synchronous_commit", safety)
        .setServerConfig("full_page_writes", safety);
  }

  private static void createDatabaseIfMissing(EmbeddedPostgres postgres, String database) throws SQLException {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("database name must be a plain lower-case identifier: " + database);
    }
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
         Statement statement = connection.createStatement()) {
      try (ResultSet exists = statement.executeQuery(
          "SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
        if (!exists.next()) {
          statement.execute("CREATE DATABASE " + database);
        }
      }
    }
  }

  /**
   * Creates or brings up to date, in {@code database}, the schema's owner and the application user as
   * {@code cloudformation/bootstrap-database.sql} does in RDS (the same file, run here as the superuser): the owner
   * takes over what the superuser migrated before. The server trusts loopback logins, so the passwords are not
   * checked here, and none is set.
   */
  public void bootstrapUsers(String database, String owner, String applicationUser) throws SQLException {
    String bootstrap;
    try (InputStream sql = Objects.requireNonNull(LocalPostgres.class.getResourceAsStream("bootstrap-database.sql"),
        "bootstrap-database.sql is copied from cloudformation/ by the build")) {
      bootstrap = new String(sql.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Connection connection = postgres.getDatabase(USER, database).getConnection()) {
      try (PreparedStatement settings = connection.prepareStatement("SELECT set_config('boxoffice.owner_user', ?,"
          + " false), set_config('boxoffice.owner_password', '', false), set_config('boxoffice.app_user', ?, false),"
          + " set_config('boxoffice.app_password', '', false)")) {
        settings.setString(1, owner);
        settings.setString(2, applicationUser);
        settings.execute();
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute(bootstrap);
      }
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return postgres.getPort();
  }

  public String database() {
    return database;
  }

  public String user() {
    return USER;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
