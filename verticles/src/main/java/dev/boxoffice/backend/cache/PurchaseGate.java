package dev.boxoffice.backend.cache;

import dev.boxoffice.backend.model.Refusal;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a purchase passes before it may reach PostgreSQL, in one Redis round trip (one atomic script): the buyer's
 * rate limit (a fixed window counted with INCR, EXPIRE on the first hit) and the ticket type's sold-out flag
 * ({@link SoldOutFlags}). Redis is trusted with neither correctness nor availability: when it fails, the purchase
 * is admitted and goes to the database (fail open), which costs speed only.
 */
public final class PurchaseGate {

  /** Generous for a person, small for a script: 60 purchases a minute. */
  public static final Limit DEFAULT_LIMIT = new Limit(60, Duration.ofMinutes(1));

  private static final Logger LOG = LoggerFactory.getLogger(PurchaseGate.class);
  private static final String COUNT_AND_LOOK = """
      local count = redis.call('INCR', KEYS[1])
      local ttl = redis.call('TTL', KEYS[1])
      if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
      return {count, ttl, redis.call('EXISTS', KEYS[2])}""";

  /** At most {@code purchases} per buyer per {@code window}. */
  public record Limit(int purchases, Duration window) {
  }

  /** Whether the ticket type was flagged sold out when the buyer passed. */
  public record Passage(boolean soldOut) {
  }

  private final Redis redis;
  private final Limit limit;

  public PurchaseGate(Redis redis, Limit limit) {
    this.redis = redis;
    this.limit = limit;
  }

  /** Succeeds when the buyer may purchase now; fails with {@link Refusal.TooManyPurchases} when over the limit. */
  public Future<Passage> pass(String buyerEmail, UUID ticketTypeId) {
    Request script = Request.cmd(Command.EVAL).arg(COUNT_AND_LOOK).arg(2)
        .arg("bo:rate:purchase:" + buyerEmail).arg(SoldOutFlags.key(ticketTypeId))
        .arg(limit.window().toSeconds());
    return redis.send(script)
        .recover(failure -> {
          LOG.debug("Redis unavailable, the purchase goes to PostgreSQL unchecked: {}", failure.toString());
          return Future.succeededFuture(null);
        })
        .map(this::verdict);
  }

  private Passage verdict(Response counted) {
    if (counted == null) {
      return new Passage(false);
    }
    long purchases = counted.get(0).toLong();
    long retryAfterSeconds = Math.max(1, counted.get(1).toLong());
    if (purchases > limit.purchases()) {
      throw new Refusal.TooManyPurchases(limit.purchases(), limit.window().toSeconds(), retryAfterSeconds);
    }
    return new Passage(counted.get(2).toInteger() > 0);
  }
}
