package dev.boxoffice.backend.cache;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Caches the encoded public event list pages and event details in Redis under keys that embed a version counter:
 * a write bumps the counter after its commit and before it answers, so the very next read misses and reloads (no
 * stale window). Readers take the version before querying PostgreSQL, so a reload racing a write is stored under
 * the old version that nobody asks for any more. Redis is never needed: when it fails, reads go to PostgreSQL.
 *
 * <p>Each backend also keeps the entries it read or loaded in memory for a second, by the same versioned keys: an
 * entry never changes under its key, so a read still asks Redis for the current version (one small round trip,
 * which is what keeps every backend from serving a stale page) but not for the page itself. The second bounds the
 * one case where a key could come back with other content: Redis losing its data (a restart without persistence, a
 * FLUSHALL) restarts the versions at 0.
 */
public final class ResponseCache {

  private static final Logger LOG = LoggerFactory.getLogger(ResponseCache.class);
  private static final String LIST_VERSION = "bo:ver:events";
  private static final String DETAIL_TTL_SECONDS = "300";
  private static final String LIST_TTL_SECONDS = "60";

  /**
   * Bounds the in-memory entries (pages of a few to twenty KB: tens of MB at most); when full it starts over rather
   * than tracking recency or expiry, and entries live a second, so a reset costs a round of Redis reads.
   */
  private static final int MAX_NEAR_ENTRIES = 2_000;
  private static final Duration NEAR_TTL = Duration.ofSeconds(1);

  private final RedisAPI redis;
  private final Map<String, NearEntry> near = new ConcurrentHashMap<>();

  private final long nearTtlMillis;

  public ResponseCache(Redis redis) {
    this(redis, NEAR_TTL);
  }

  /** With in-memory entries kept {@code nearTtl}: tests keep them longer than a slow machine's pause. */
  ResponseCache(Redis redis, Duration nearTtl) {
    this.redis = RedisAPI.api(redis);
    this.nearTtlMillis = nearTtl.toMillis();
  }

  public Future<String> eventDetail(UUID eventId, Supplier<Future<String>> load) {
    return cached(eventVersionKey(eventId), version -> "bo:cache:event:" + eventId + ":" + version,
        DETAIL_TTL_SECONDS, load);
  }

  /** {@code query} is the canonical text of the list request (filters, cursor, limit). */
  public Future<String> eventList(String query, Supplier<Future<String>> load) {
    String digest = sha256(query);
    return cached(LIST_VERSION, version -> "bo:cache:events:" + version + ":" + digest, LIST_TTL_SECONDS, load);
  }

  /** After a committed change to an event or its ticket types: its detail and every list page reload. */
  public Future<Void> eventChanged(UUID eventId) {
    return bump(List.of(eventVersionKey(eventId), LIST_VERSION));
  }

  /** After committed sales or cancellations: the detail's remaining counts reload (lists show no counts). */
  public Future<Void> salesChanged(UUID eventId) {
    return bump(List.of(eventVersionKey(eventId)));
  }

  private Future<String> cached(String versionKey, Function<String, String> keyOfVersion, String ttlSeconds,
                                Supplier<Future<String>> load) {
    Future<String> key = redis.get(versionKey)
        .map(version -> keyOfVersion.apply(version == null ? "0" : version.toString()))
        .otherwise(failure -> null);
    return key.compose(cacheKey -> {
      if (cacheKey == null) {
        return load.get();
      }
      NearEntry nearby = near.get(cacheKey);
      if (nearby != null && nearby.freshAt(System.currentTimeMillis())) {
        return Future.succeededFuture(nearby.value());
      }
      return redis.get(cacheKey)
          .otherwise(failure -> null)
          .compose(hit -> hit != null ? Future.succeededFuture(hit.toString()) : load.get().onSuccess(value ->
              redis.set(List.of(cacheKey, value, "EX", ttlSeconds))
                  .onFailure(failure -> LOG.debug("could not fill the cache: {}", failure.toString()))))
          .onSuccess(value -> keepNear(cacheKey, value));
    });
  }

  private void keepNear(String cacheKey, String value) {
    if (near.size() >= MAX_NEAR_ENTRIES) {
      near.clear();
    }
    near.put(cacheKey, new NearEntry(value, System.currentTimeMillis() + nearTtlMillis));
  }

  private record NearEntry(String value, long expiresAtMillis) {

    boolean freshAt(long nowMillis) {
      return nowMillis < expiresAtMillis;
    }
  }

  private Future<Void> bump(List<String> keys) {
    List<Future<Response>> increments = keys.stream().map(redis::incr).toList();
    return Future.join(increments).<Void>mapEmpty().recover(failure -> {
      // Nothing to undo: the change is committed. Entries cached before it expire within their TTL.
      LOG.warn("could not invalidate cached events in Redis: {}", failure.toString());
      return Future.succeededFuture();
    });
  }

  private static String eventVersionKey(UUID eventId) {
    return "bo:ver:event:" + eventId;
  }

  private static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
