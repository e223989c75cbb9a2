package dev.boxoffice.backend.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.backend.Boxoffice;
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
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The least-privilege user the backend serves as when migrations run as the schema's owner, on real PostgreSQL (whose
 * embedded server trusts loopback logins: the password's verifier is checked against an independent computation).
 */
class ApplicationUserTest {

  private static final String PERMISSION_DENIED = "42501";

  @Test
  @DisplayName("the password is sent as the SCRAM-SHA-256 verifier PostgreSQL would compute (vector made with"
      + " Python's hashlib)")
  void verifierMatchesAnIndependentComputation() {
    assertThat(ApplicationUser.scramVerifier("pencil", Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==")))
        .isEqualTo("SCRAM-SHA-256$4096:W22ZaJ0SNY7soEsUEjb6gQ==$WG5d8oPm3OtcPnkdi4Uo7BkeZkBFzpcXkuLmtbsT4qY="
            + ":wfPLwcE6nTWhTAmQ7tl2KeoiWGPlZqQxSrmfPwDl2dU=");
  }

  @Test
  @DisplayName("migrated as the owner, the backend serves as a login user of boxoffice_app: it reads and writes"
      + " data, cannot create, alter, drop or truncate anything, nor touch the migration history; a new password"
      + " applies at the next start")
  void applicationUserChangesDataNotSchema() throws Exception {
    Config.Database database = ownDatabase("app_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12),
        "first-" + UUID.randomUUID());

    Migrations.migrate(database);

    try (Connection owner = connect(database, database.migrator().orElseThrow().user());
         Statement statement = owner.createStatement();
         ResultSet role = statement.executeQuery("SELECT r.rolcanlogin, r.rolsuper, r.rolcreaterole, r.rolcreatedb,"
             + " pg_has_role(r.rolname, 'boxoffice_app', 'member'), a.rolpassword FROM pg_roles r"
             + " JOIN pg_authid a ON a.oid = r.oid WHERE r.rolname = '" + database.user() + "'")) {
      assertThat(role.next()).isTrue();
      assertThat(role.getBoolean(1)).as("login").isTrue();
      assertThat(role.getBoolean(2) || role.getBoolean(3) || role.getBoolean(4)).as("superuser or creator").isFalse();
      assertThat(role.getBoolean(5)).as("member of boxoffice_app").isTrue();
      assertThat(role.getString(6)).startsWith("SCRAM-SHA-256$4096:");
    }
    try (Connection app = connect(database, database.user()); Statement statement = app.createStatement()) {
      statement.execute("SELECT count(*) FROM events");
      statement.execute("UPDATE role_grants_version SET version = version WHERE singleton");
      for (String schemaChange : new String[] {"CREATE TABLE intruder (id int)", "DROP TABLE events",
          "TRUNCATE orders", "ALTER TABLE events ADD COLUMN intruder int",
          "DELETE FROM flyway_schema_history", "CREATE ROLE intruder"}) {
        assertThatThrownBy(() -> statement.execute(schemaChange)).as(schemaChange)
            .isInstanceOf(SQLException.class)
            .satisfies(failure -> assertThat(((SQLException) failure).getSQLState()).as(schemaChange)
                .isIn(PERMISSION_DENIED, "42000"));
      }
    }

    Config.Database rotated = database.withPasswords("second-" + UUID.randomUUID(), database.migrator());
    String before = passwordOf(rotated);
    Migrations.migrate(rotated);
    assertThat(passwordOf(rotated)).isNotEqualTo(before);
  }

  @Test
  @DisplayName("a backend migrated as the owner serves the API as the application user")
  void backendServesAsTheApplicationUser() throws Exception {
    Config.Database database = ownDatabase("served_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12),
        "served-" + UUID.randomUUID());
    Config config = TestServers.config(Files.createTempDirectory("static"), TestServers.redis()).withDatabase(database);
    try (TestApi api = TestApi.start(config)) {
      // A change of role grants: an insert, its audit row and the version bumped in one statement.
      assertThat(api.send(HttpMethod.POST, "/api/me/organizer-request", api.buyerToken("asker@example.org"), null)
          .statusCode()).isEqualTo(201);
      assertThat(api.send(HttpMethod.POST, "/api/me/sign-out", api.buyerToken("leaver@example.org"), null)
          .statusCode()).isEqualTo(204);
      try (Connection owner = connect(database, database.migrator().orElseThrow().user());
           Statement statement = owner.createStatement();
           ResultSet users = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = '"
               + database.name() + "' AND usename = '" + database.user() + "'")) {
        users.next();
        assertThat(users.getInt(1)).as("connections of the application user").isPositive();
      }
    }
  }

  /** A new database of the test PostgreSQL with a new application user; the embedded superuser migrates. */
  private static Config.Database ownDatabase(String name, String password) throws SQLException {
    LocalPostgres pg = TestServers.postgres();
    try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + pg.host() + ":" + pg.port() + "/"
        + pg.database(), pg.user(), ""); Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return new Config.Database(pg.host(), pg.port(), name, name + "_user", password, "disable", Optional.empty(), 4,
        Optional.of(new Config.Credentials(pg.user(), "")));
  }

  private static Connection connect(Config.Database database, String user) throws SQLException {
    String password = user.equals(database.user()) ? database.password() : "";
    return DriverManager.getConnection(database.jdbcUrl(), user, password);
  }

  private static String passwordOf(Config.Database database) throws SQLException {
    try (Connection owner = connect(database, database.migrator().orElseThrow().user());
         Statement statement = owner.createStatement();
         ResultSet row = statement.executeQuery("SELECT rolpassword FROM pg_authid WHERE rolname = '"
             + database.user() + "'")) {
      row.next();
      return row.getString(1);
    }
  }
}
