package dev.boxoffice.backend.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.TestServers;
import dev.boxoffice.backend.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Two backends' caches over one real Redis, as two ECS tasks share ElastiCache. */
class ResponseCacheTest {

  private static Vertx vertx;
  private static Redis redis;

  @BeforeAll
  static void connect() {
    vertx = Vertx.vertx();
    redis = RedisClients.create(vertx, new Config.Redis(TestServers.redis().url(), Optional.empty(), 4));
  }

  @AfterAll
  static void close() throws Exception {
    redis.close();
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("a page kept in one backend's memory is reloaded on its next read once another backend changed it")
  void aChangeThroughOneBackendReachesTheOthersNextRead() throws Exception {
    ResponseCache first = new ResponseCache(redis, Duration.ofMinutes(1));
    ResponseCache second = new ResponseCache(redis, Duration.ofMinutes(1));
    UUID eventId = UUID.randomUUID();
    AtomicInteger loads = new AtomicInteger();
    Supplier<Future<String>> database = () -> Future.succeededFuture("version " + loads.incrementAndGet());

    assertThat(read(second, eventId, database)).isEqualTo("version 1");
    // Gone from Redis (as after its TTL or an eviction), still in the backend's memory.
    RedisAPI.api(redis).del(List.of("bo:cache:event:" + eventId + ":0")).await(10, TimeUnit.SECONDS);
    assertThat(read(second, eventId, database)).as("kept in memory, not loaded again").isEqualTo("version 1");
    assertThat(loads).hasValue(1);

    first.eventChanged(eventId).await(10, TimeUnit.SECONDS);

    assertThat(read(second, eventId, database)).isEqualTo("version 2");
    assertThat(loads).hasValue(2);
  }

  private static String read(ResponseCache cache, UUID eventId, Supplier<Future<String>> database) throws Exception {
    return cache.eventDetail(eventId, database).await(10, TimeUnit.SECONDS);
  }
}
