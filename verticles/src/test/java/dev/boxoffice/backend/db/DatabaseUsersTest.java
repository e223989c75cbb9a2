package dev.boxoffice.backend.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.backend.TestServers;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.web.TestApi;
import dev.boxoffice.local.servers.LocalPostgres;
import io.vertx.core.http.HttpMethod;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The database's two users as cloudformation/bootstrap-database.sql makes them (the file bootstrap-database.sh runs
 * against RDS, run here by the embedded superuser as RDS's master user): migrations as the owner, service as a member
 * of boxoffice_app. Real PostgreSQL; its embedded server trusts loopback logins, so passwords are not checked here.
 */
class DatabaseUsersTest {

  private static final String PERMISSION_DENIED = "42501";
  private static final String MUST_BE_OWNER = "42000";

  @Test
  @DisplayName("bootstrapped, then migrated as the owner: the owner owns every table and may create no role or"
      + " database; the application user reads and writes data and cannot create, alter, drop or truncate anything,"
      + " nor touch the migration history; a second bootstrap changes nothing")
  void applicationUserChangesDataNotSchema() throws Exception {
    Config.Database database = bootstrapped(newDatabase());

    Migrations.migrate(database);
    bootstrap(database);

    String owner = database.migrator().orElseThrow().user();
    assertThat(tablesNotOwnedBy(database, owner)).isEmpty();
    try (Connection connection = connect(database, owner); Statement statement = connection.createStatement();
         ResultSet roles = statement.executeQuery("SELECT rolname, rolcanlogin, rolsuper OR rolcreaterole OR"
             + " rolcreatedb, pg_has_role(rolname, 'boxoffice_app', 'member') FROM pg_roles WHERE rolname IN ('"
             + owner + "', '" + database.user() + "') ORDER BY rolname = '" + owner + "'")) {
      assertThat(roles.next()).isTrue();
      assertThat(roles.getBoolean(2)).as("the application user logs in").isTrue();
      assertThat(roles.getBoolean(3)).as("the application user creates nothing").isFalse();
      assertThat(roles.getBoolean(4)).as("the application user is a member of boxoffice_app").isTrue();
      assertThat(roles.next()).isTrue();
      assertThat(roles.getBoolean(2)).as("the owner logs in").isTrue();
      assertThat(roles.getBoolean(3)).as("the owner is no superuser and creates no role or database").isFalse();
      assertThat(roles.getBoolean(4)).as("the owner is no member of boxoffice_app").isFalse();
    }
    try (Connection app = connect(database, database.user()); Statement statement = app.createStatement()) {
      statement.execute("SELECT count(*) FROM events");
      statement.execute("UPDATE role_grants_version SET version = version WHERE singleton");
      for (String schemaChange : new String[] {"CREATE TABLE intruder (id int)", "DROP TABLE events",
          "TRUNCATE orders", "ALTER TABLE events ADD COLUMN intruder int", "DELETE FROM flyway_schema_history",
          "CREATE ROLE intruder", "CREATE SCHEMA intruder"}) {
        assertThatThrownBy(() -> statement.execute(schemaChange)).as(schemaChange)
            .isInstanceOf(SQLException.class)
            .satisfies(failure -> assertThat(((SQLException) failure).getSQLState()).as(schemaChange)
                .isIn(PERMISSION_DENIED, MUST_BE_OWNER));
      }
    }
  }

  @Test
  @DisplayName("a database migrated before the owner existed (by RDS's master user) is handed to the owner by the"
      + " bootstrap: its later migrations may alter the tables, and the application user may use the tables they add")
  void bootstrapHandsOverWhatTheMasterUserMigrated() throws Exception {
    Config.Database database = newDatabase();
    LocalPostgres pg = TestServers.postgres();
    Migrations.migrate(new Config.Database(database.host(), database.port(), database.name(), pg.user(), "",
        "disable", Optional.empty(), 4));
    assertThat(tablesNotOwnedBy(database, pg.user())).isEmpty();

    bootstrap(database);

    String owner = database.migrator().orElseThrow().user();
    assertThat(tablesNotOwnedBy(database, owner)).isEmpty();
    assertThat(Migrations.migrate(database).success).isTrue();
    try (Connection connection = connect(database, owner); Statement statement = connection.createStatement()) {
      statement.execute("ALTER TABLE events ADD COLUMN next_migration int");
      statement.execute("ALTER TABLE events DROP COLUMN next_migration");
      statement.execute("CREATE TABLE next_migration (id bigserial PRIMARY KEY)");
    }
    try (Connection app = connect(database, database.user()); Statement statement = app.createStatement()) {
      statement.execute("INSERT INTO next_migration DEFAULT VALUES");
      statement.execute("SELECT count(*) FROM events");
    }
  }

  @Test
  @DisplayName("the owner, the application user and boxoffice_app must be different roles")
  void bootstrapRefusesOneUserForBoth() throws Exception {
    Config.Database database = newDatabase();
    LocalPostgres pg = TestServers.postgres();
    assertThatThrownBy(() -> pg.bootstrapUsers(database.name(), "same_user", "same_user"))
        .isInstanceOf(SQLException.class).hasMessageContaining("must be four roles");
    assertThatThrownBy(() -> pg.bootstrapUsers(database.name(), "some_owner", "boxoffice_app"))
        .isInstanceOf(SQLException.class).hasMessageContaining("must be four roles");
  }

  @Test
  @DisplayName("a backend migrated as the owner serves the API as the application user")
  void backendServesAsTheApplicationUser() throws Exception {
    Config.Database database = bootstrapped(newDatabase());
    Config config = TestServers.config(Files.createTempDirectory("static"), TestServers.redis()).withDatabase(database);
    try (TestApi api = TestApi.start(config)) {
      // A change of role grants: an insert, its audit row and the version bumped in one statement.
      assertThat(api.send(HttpMethod.POST, "/api/me/organizer-request", api.buyerToken("asker@example.org"), null)
          .statusCode()).isEqualTo(201);
      assertThat(api.send(HttpMethod.POST, "/api/me/sign-out", api.buyerToken("leaver@example.org"), null)
          .statusCode()).isEqualTo(204);
      try (Connection owner = connect(database, database.migrator().orElseThrow().user());
           Statement statement = owner.createStatement();
           ResultSet users = statement.executeQuery("SELECT count(*) FILTER (WHERE usename = '" + database.user()
               + "'), count(*) FILTER (WHERE usename NOT IN ('" + database.user() + "', current_user))"
               + " FROM pg_stat_activity WHERE datname = '" + database.name() + "'")) {
        users.next();
        assertThat(users.getInt(1)).as("connections of the application user").isPositive();
        assertThat(users.getInt(2)).as("connections of any other user").isZero();
      }
    }
  }

  /** A new database of the test PostgreSQL, with names of its own for its owner and its application user. */
  private static Config.Database newDatabase() throws SQLException {
    String name = "users_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    LocalPostgres pg = TestServers.postgres();
    try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "");
         Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return new Config.Database(pg.host(), pg.port(), name, name + "_app", "", "disable", Optional.empty(), 4,
        Optional.of(new Config.Credentials(name + "_owner", "")));
  }

  private static Config.Database bootstrapped(Config.Database database) throws SQLException {
    bootstrap(database);
    return database;
  }

  private static void bootstrap(Config.Database database) throws SQLException {
    TestServers.postgres().bootstrapUsers(database.name(), database.migrator().orElseThrow().user(), database.user());
  }

  private static List<String> tablesNotOwnedBy(Config.Database database, String owner) throws SQLException {
    List<String> others = new ArrayList<>();
    try (Connection connection = connect(database, owner); Statement statement = connection.createStatement();
         ResultSet tables = statement.executeQuery("SELECT tablename || ' of ' || tableowner FROM pg_tables"
             + " WHERE schemaname = 'public' AND tableowner <> '" + owner + "'")) {
      while (tables.next()) {
        others.add(tables.getString(1));
      }
    }
    return others;
  }

  private static Connection connect(Config.Database database, String user) throws SQLException {
    return DriverManager.getConnection(database.jdbcUrl(), user, "");
  }
}
