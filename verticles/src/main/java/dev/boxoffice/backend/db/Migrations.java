package dev.boxoffice.backend.db;

import dev.boxoffice.backend.config.Config;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Flyway migrations from {@code db/migration}, as the database's migrator when there is one (then the user the backend
 * serves as is brought up to date after them: {@link ApplicationUser}); blocking JDBC, so callers run it off the
 * event loop.
 */
public final class Migrations {

  private Migrations() {
  }

  public static MigrateResult migrate(Config.Database database) {
    Config.Credentials migrator = database.migrator()
        .orElseGet(() -> new Config.Credentials(database.user(), database.password()));
    MigrateResult result = Flyway.configure()
        .dataSource(database.jdbcUrl(), migrator.user(), migrator.password())
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load()
        .migrate();
    if (database.migrator().isPresent()) {
      ApplicationUser.ensure(database);
    }
    return result;
  }
}
