package dev.boxoffice.backend.db;

import dev.boxoffice.backend.config.Config;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Flyway migrations from {@code db/migration}, as the schema's owner when the backend serves as another user (made
 * with it by {@code cloudformation/bootstrap-database.sql}), else as the user it serves as; blocking JDBC, so callers
 * run it off the event loop.
 */
public final class Migrations {

  private Migrations() {
  }

  public static MigrateResult migrate(Config.Database database) {
    Config.Credentials migrator = database.migrator()
        .orElseGet(() -> new Config.Credentials(database.user(), database.password()));
    return Flyway.configure()
        .dataSource(database.jdbcUrl(), migrator.user(), migrator.password())
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load()
        .migrate();
  }
}
