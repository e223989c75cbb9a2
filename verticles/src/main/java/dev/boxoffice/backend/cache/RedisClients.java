package dev.boxoffice.backend.cache;

import dev.boxoffice.backend.config.Config;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;

/**
 * Builds the backend's Redis client ({@link PipelinedRedis}: a connection per event loop, a pool for the rest); TLS
 * and the auth token are what ElastiCache with in-transit encryption needs.
 */
public final class RedisClients {

  private RedisClients() {
  }

  public static Redis create(Vertx vertx, Config.Redis redis) {
    RedisOptions options = new RedisOptions()
        .setType(RedisClientType.STANDALONE)
        .setConnectionString(redis.url())
        .setMaxPoolSize(redis.poolSize())
        .setMaxPoolWaiting(4096)
        .setPoolRecycleTimeout(15_000)
        .setNetClientOptions(new NetClientOptions()
            .setConnectTimeout(2_000)
            .setTcpNoDelay(true)
            .setTcpKeepAlive(true)
            .setSsl(redis.tls())
            .setHostnameVerificationAlgorithm(redis.tls() ? "HTTPS" : ""));
    redis.authToken().ifPresent(options::setPassword);
    return new PipelinedRedis(vertx, options);
  }
}
