package dev.boxoffice.backend.db;

import dev.boxoffice.backend.config.Config;
import io.vertx.core.Vertx;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;

/** Builds the one reactive PostgreSQL pool the verticles share. */
public final class Databases {

  private Databases() {
  }

  public static Pool pool(Vertx vertx, Config.Database database) {
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
        .with(new PoolOptions().setMaxSize(database.poolSize()).setShared(false).setName("boxoffice-pg"))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }
}
