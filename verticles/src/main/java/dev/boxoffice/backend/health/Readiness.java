package dev.boxoffice.backend.health;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether this task can serve traffic, for the load balancer's health check: it can as long as PostgreSQL, the
 * source of truth of every answer, answers within a second. Redis is checked and reported but never makes the task
 * unready: the backend serves without it (purchases fail open, pages come from PostgreSQL), and a check that failed
 * on it would take every task out of the target group at once during an ElastiCache failover. Each check also sets
 * the gauge {@code boxoffice_dependency_up{dependency="postgres"|"redis"}} to 1 or 0.
 */
public final class Readiness {

  private static final long CHECK_TIMEOUT_MS = 1_000;
  private static final String UP = "UP";
  private static final String DOWN = "DOWN";

  private final Pool pool;
  private final Redis redis;
  private final AtomicInteger postgresUp = new AtomicInteger(1);
  private final AtomicInteger redisUp = new AtomicInteger(1);

  public Readiness(Pool pool, Redis redis, MeterRegistry metrics) {
    this.pool = pool;
    this.redis = redis;
    gauge(metrics, "postgres", postgresUp);
    gauge(metrics, "redis", redisUp);
  }

  /**
   * A report such as {@code {"status":"UP","checks":{"postgres":"UP","redis":"DOWN"},"degraded":["redis"]}}:
   * {@code status} is DOWN only when PostgreSQL is; {@code degraded} lists the tolerated dependencies that are down.
   * Never a failed future.
   */
  public Future<JsonObject> check() {
    Future<Boolean> postgres = answers(pool.query("SELECT 1").execute(), postgresUp);
    Future<Boolean> redisAnswers = answers(redis.send(Request.cmd(Command.PING)), redisUp);
    return Future.join(postgres, redisAnswers).transform(done -> {
      JsonArray degraded = redisAnswers.result() ? new JsonArray() : new JsonArray().add("redis");
      return Future.succeededFuture(new JsonObject()
          .put("status", postgres.result() ? UP : DOWN)
          .put("checks", new JsonObject()
              .put("postgres", postgres.result() ? UP : DOWN)
              .put("redis", redisAnswers.result() ? UP : DOWN))
          .put("degraded", degraded));
    });
  }

  private static Future<Boolean> answers(Future<?> probe, AtomicInteger gauge) {
    return probe.timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(true)
        .otherwise(false)
        .onSuccess(up -> gauge.set(up ? 1 : 0));
  }

  private static void gauge(MeterRegistry metrics, String dependency, AtomicInteger up) {
    Gauge.builder("boxoffice.dependency.up", up, AtomicInteger::get)
        .description("Whether the dependency answered the last readiness check (1) or not (0)")
        .tag("dependency", dependency)
        .register(metrics);
  }
}
