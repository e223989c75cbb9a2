package dev.boxoffice.backend;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.config.TestEnvironments;
import dev.boxoffice.local.servers.LocalPostgres;
import dev.boxoffice.local.servers.LocalRedis;
import dev.boxoffice.local.servers.LoopbackPorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** One real PostgreSQL and one real Redis per test JVM, started on first use and stopped when the JVM exits. */
public final class TestServers {

  private static LocalPostgres postgres;
  private static LocalRedis redis;

  private TestServers() {
  }

  public static synchronized LocalPostgres postgres() {
    if (postgres == null) {
      try {
        postgres = LocalPostgres.start(Files.createTempDirectory("boxoffice-test-pg"), 0, "boxoffice", false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(postgres)));
    }
    return postgres;
  }

  public static synchronized LocalRedis redis() {
    if (redis == null) {
      redis = newRedis();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(redis)));
    }
    return redis;
  }

  /** A Redis of the test's own, for tests that stop it; the caller closes it. */
  public static LocalRedis newRedis() {
    try {
      return LocalRedis.start(Files.createTempDirectory("boxoffice-test-redis"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A backend configuration pointing at the test servers, listening on a free loopback port. */
  public static Config config(Path staticDir, LocalRedis redisServer) {
    LocalPostgres pg = postgres();
    return Config.fromEnvironment(TestEnvironments.local()).toBuilder()
        .dataDir(dataDir())
        .http("127.0.0.1", LoopbackPorts.free())
        .staticDir(staticDir)
        .database(new Config.Database(pg.host(), pg.port(), pg.database(), pg.user(), "", "disable",
            Optional.empty(), 8))
        .redis(new Config.Redis(redisServer.url(), Optional.empty(), 8))
        .build();
  }

  /** A data folder of its own for each backend, so no test writes generated keys into the working tree. */
  private static Path dataDir() {
    try {
      return Files.createTempDirectory("boxoffice-test-data");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void closeQuietly(AutoCloseable server) {
    try {
      server.close();
    } catch (Exception ignored) {
      // the JVM is exiting; the data directory is a temporary one
    }
  }
}
