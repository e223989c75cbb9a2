package dev.boxoffice.backend.sales;

import dev.boxoffice.backend.http.ApiException;
import dev.boxoffice.codecs.ErrorBody;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purchases per buyer in a fixed window, counted in Redis with one atomic script (INCR, EXPIRE on the first hit).
 * When Redis fails the purchase goes through: the limiter protects capacity from abuse, not correctness.
 */
public final class PurchaseRateLimiter {

  /** Generous for a person, small for a script: 60 purchases a minute. */
  public static final Limit DEFAULT_LIMIT = new Limit(60, Duration.ofMinutes(1));

  private static final Logger LOG = LoggerFactory.getLogger(PurchaseRateLimiter.class);
  private static final String COUNT_IN_WINDOW = """
      local count = redis.call('INCR', KEYS[1])
      if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
      local ttl = redis.call('TTL', KEYS[1])
      if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
      return {count, ttl}""";

  /** At most {@code purchases} per buyer per {@code window}. */
  public record Limit(int purchases, Duration window) {
  }

  private final Redis redis;
  private final Limit limit;

  public PurchaseRateLimiter(Redis redis, Limit limit) {
    this.redis = redis;
    this.limit = limit;
  }

  /** Succeeds when {@code buyerEmail} may purchase now; fails with a 429 {@link ApiException} otherwise. */
  public Future<Void> admit(String buyerEmail) {
    Request count = Request.cmd(Command.EVAL).arg(COUNT_IN_WINDOW).arg(1).arg("bo:rate:purchase:" + buyerEmail)
        .arg(limit.window().toSeconds());
    return redis.send(count)
        .map(this::verdict)
        .otherwise(failure -> {
          if (failure instanceof ApiException) {
            throw (ApiException) failure;
          }
          LOG.debug("rate limiter unavailable, letting the purchase through: {}", failure.toString());
          return null;
        })
        .mapEmpty();
  }

  private Void verdict(Response counted) {
    long purchases = counted.get(0).toLong();
    long retryAfterSeconds = Math.max(1, counted.get(1).toLong());
    if (purchases > limit.purchases()) {
      throw new ApiException(429, ErrorBody.of("too_many_requests", "At most " + limit.purchases()
          + " purchases per " + limit.window().toSeconds() + " seconds; retry after " + retryAfterSeconds + " seconds"),
          Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }
    return null;
  }
}
