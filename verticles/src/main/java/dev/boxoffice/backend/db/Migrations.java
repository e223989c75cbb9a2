package dev.boxoffice.backend.db;

import dev.boxoffice.backend.config.Config;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/** Flyway migrations from {@code db/migration}; blocking JDBC, so callers run it off the event loop. */
public final class Migrations {

  private Migrations() {
  }

  public static MigrateResult migrate(Config.Database database) {
    return Flyway.configure()
        .dataSource(database.jdbcUrl(), database.user(), database.password())
        .locations("classpath:db/migration")
        .failOnMissingLocations(true)
        .load()
        .migrate();
  }
}
