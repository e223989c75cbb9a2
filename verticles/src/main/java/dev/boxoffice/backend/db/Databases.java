package dev.boxoffice.backend.db;

import dev.boxoffice.backend.config.Config;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/**
 * Builds the reactive PostgreSQL pools: the one the verticles share ({@code BOXOFFICE_DB_POOL_SIZE} connections) and
 * one of {@link #CONNECTIONS_PER_PURCHASE_LANE} per purchase lane, so that a sale's batches never queue for a
 * connection behind the rest of the traffic (a waiting room's visits, page reads).
 */
public final class Databases {

  /** Connections each purchase lane keeps to itself, besides the shared pool's. */
  public static final int CONNECTIONS_PER_PURCHASE_LANE = 2;

  private Databases() {
  }

  /** The shared pool. */
  public static Pool pool(Vertx vertx, Config.Database database) {
    return pool(vertx, database, "boxoffice-pg", database.poolSize());
  }

  /**
   * A pool named {@code name} (its metrics' {@code pool_name}) of {@code size} connections. Built on an event loop's
   * context and used only from it, as a purchase lane's is, its connections live on that loop: leases and answers
   * never wait for another thread.
   */
  public static Pool pool(Vertx vertx, Config.Database database, String name, int size) {
    PgConnectOptions connect = new PgConnectOptions()
        .setHost(database.host())
        .setPort(database.port())
        .setDatabase(database.name())
        .setUser(database.user())
        .setPassword(database.password())
        .setCachePreparedStatements(true)
        .setPipeliningLimit(256)
        .setReconnectAttempts(2)
        .setReconnectInterval(500);
    switch (database.sslMode()) {
      case "require" -> connect.setSslMode(SslMode.REQUIRE).getSslOptions().setTrustAll(true);
      case "verify-full" -> {
        connect.setSslMode(SslMode.VERIFY_FULL).getSslOptions().setHostnameVerificationAlgorithm("HTTPS");
        database.sslRootCert().ifPresent(cert ->
            connect.getSslOptions().setTrustOptions(new PemTrustOptions().addCertPath(cert.toString())));
      }
      default -> connect.setSslMode(SslMode.DISABLE);
    }
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(size).setShared(false).setName(name))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }
}
