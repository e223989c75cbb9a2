package dev.boxoffice.backend.cache;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis flag per sold-out ticket type, so a rush's rejections never reach PostgreSQL ({@link PurchaseGate} reads
 * it). Only ever a shortcut: a
 * missing flag (Redis down or flushed) sends the purchase to the database, whose row lock and CHECK constraint decide.
 * A flag is cleared when capacity comes back (more capacity, a cancelled order); its TTL bounds how long a flag set
 * by a batch racing such a change can hide the returned capacity.
 */
public final class SoldOutFlags {

  private static final Logger LOG = LoggerFactory.getLogger(SoldOutFlags.class);
  private static final String TTL_SECONDS = "30";

  private final RedisAPI redis;

  public SoldOutFlags(Redis redis) {
    this.redis = RedisAPI.api(redis);
  }

  public Future<Void> markSoldOut(UUID ticketTypeId) {
    return redis.set(List.of(key(ticketTypeId), "1", "EX", TTL_SECONDS)).<Void>mapEmpty()
        .otherwise(failure -> {
          LOG.debug("could not set the sold-out flag: {}", failure.toString());
          return null;
        });
  }

  public Future<Void> clear(UUID ticketTypeId) {
    return redis.del(List.of(key(ticketTypeId))).<Void>mapEmpty()
        .otherwise(failure -> {
          LOG.warn("could not clear the sold-out flag of {} (it expires by itself): {}", ticketTypeId,
              failure.toString());
          return null;
        });
  }

  /**
   * Whether every one of {@code ticketTypeIds} is flagged sold out; false for none, and when Redis cannot say. One
   * EXISTS per ticket type, as their keys may lie in different slots of a Redis cluster.
   */
  public Future<Boolean> allSoldOut(List<UUID> ticketTypeIds) {
    if (ticketTypeIds.isEmpty()) {
      return Future.succeededFuture(false);
    }
    List<Future<Boolean>> flags = ticketTypeIds.stream()
        .map(id -> redis.exists(List.of(key(id))).map(found -> found.toInteger() == 1)).toList();
    return Future.all(flags).map(all -> flags.stream().allMatch(Future::result))
        .otherwise(failure -> {
          LOG.debug("could not read the sold-out flags: {}", failure.toString());
          return false;
        });
  }

  static String key(UUID ticketTypeId) {
    return "bo:soldout:" + ticketTypeId;
  }
}
