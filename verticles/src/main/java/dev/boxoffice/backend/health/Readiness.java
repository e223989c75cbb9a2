package dev.boxoffice.backend.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;

/** Whether this instance can serve traffic: PostgreSQL and Redis both answer within a second. */
public final class Readiness {

  private static final long CHECK_TIMEOUT_MS = 1_000;

  private final Vertx vertx;
  private final Pool pool;
  private final Redis redis;

  public Readiness(Vertx vertx, Pool pool, Redis redis) {
    this.vertx = vertx;
    this.pool = pool;
    this.redis = redis;
  }

  /** A report such as {@code {"status":"UP","checks":{"postgres":"UP","redis":"DOWN"}}}; never a failed future. */
  public Future<JsonObject> check() {
    Future<String> postgres = status(pool.query("SELECT 1").execute());
    Future<String> redisStatus = status(redis.send(Request.cmd(Command.PING)));
    return Future.join(postgres, redisStatus).transform(done -> {
      boolean up = "UP".equals(postgres.result()) && "UP".equals(redisStatus.result());
      return Future.succeededFuture(new JsonObject()
          .put("status", up ? "UP" : "DOWN")
          .put("checks", new JsonObject().put("postgres", postgres.result()).put("redis", redisStatus.result())));
    });
  }

  private Future<String> status(Future<?> probe) {
    return probe.timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map("UP")
        .otherwise("DOWN");
  }
}
