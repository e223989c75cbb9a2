package dev.boxoffice.backend.cache;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's Redis client: each event loop sends its commands on one connection of its own, opened from that loop
 * and kept, on which Redis pipelines them; calls from elsewhere (a worker thread, a test) and commands that would
 * change or hold a shared connection (MULTI, WATCH, SELECT, SUBSCRIBE, blocking pops) borrow a pooled connection.
 *
 * <p>Why not the pooled client for everything: vertx-redis-client 5.0.7 leases a pooled connection per command, and
 * a lease crosses event loops. It is handed out on the loop that opened the connection, passed to the caller's loop,
 * the command is written on the connection's loop, the answer completes on the caller's loop, and only then is the
 * connection given back, to be handed to the next waiter on its loop. Each crossing waits for another thread to be
 * scheduled, so a lease lives as long as the slowest of those loops takes to get round to it: under a waiting room's
 * rush on a loaded machine, hundreds of milliseconds for a command Redis answers in microseconds, with 16 connections
 * granting 50-60 leases a second while every Redis user queued behind them (docs/performance.md). On its loop's own
 * connection a command is written and answered on the caller's thread, and any number of them share it at once.
 *
 * <p>A loop whose connection closes opens a new one on its next command; when opening fails, its commands fail at
 * once until the next attempt, 100 ms later, doubling up to 1 s: a lost Redis is told fast (the waiting room pauses,
 * the purchase gate and the caches fall back to PostgreSQL), each loop tries at most once a second while it is gone,
 * and a Redis that is back is used again within a second.
 */
public final class PipelinedRedis implements Redis {

  private static final Logger LOG = LoggerFactory.getLogger(PipelinedRedis.class);
  /** The pools' names in the metrics: {@code vertx_pool_in_use{pool_type="redis",pool_name="redis-event-loops"}}. */
  private static final String POOL_NAME = "redis";
  private static final String LOOP_POOL_NAME = "redis-event-loops";
  private static final long FIRST_RETRY_MILLIS = 100;
  private static final long LAST_RETRY_MILLIS = 1_000;
  /** Commands that change a connection's state or block it: on a shared connection, every later command would. */
  private static final Set<Command> NOT_SHARED = Set.of(Command.MULTI, Command.EXEC, Command.DISCARD, Command.WATCH,
      Command.UNWATCH, Command.SELECT, Command.AUTH, Command.HELLO, Command.RESET, Command.SUBSCRIBE,
      Command.PSUBSCRIBE, Command.SSUBSCRIBE, Command.UNSUBSCRIBE, Command.PUNSUBSCRIBE, Command.SUNSUBSCRIBE,
      Command.MONITOR, Command.BLPOP, Command.BRPOP, Command.BLMOVE, Command.BLMPOP, Command.BZPOPMIN,
      Command.BZPOPMAX, Command.BZMPOP, Command.WAIT);

  private final Vertx vertx;
  private final RedisOptions options;
  private final Redis pooled;
  private final Map<Thread, LoopConnection> loops = new ConcurrentHashMap<>();

  /**
   * Connects with {@code options}: their pool serves calls from outside the event loops; each loop's own connection
   * comes from a pool of one of its own, so that it is always opened on that loop.
   */
  public PipelinedRedis(Vertx vertx, RedisOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.pooled = Redis.createClient(vertx, new RedisOptions(options).setPoolName(POOL_NAME));
  }

  @Override
  public Future<Response> send(Request request) {
    return onOwnLoop(request) ? loop().send(connection -> connection.send(request)) : pooled.send(request);
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    boolean shareable = requests.stream().allMatch(this::onOwnLoop);
    return shareable && !requests.isEmpty() ? loop().send(connection -> connection.batch(requests))
        : pooled.batch(requests);
  }

  /** A connection of the caller's own, from the pool, for what a shared one cannot do; the caller closes it. */
  @Override
  public Future<RedisConnection> connect() {
    return pooled.connect();
  }

  @Override
  public Future<Void> close() {
    List<Future<Void>> closed = new ArrayList<>();
    loops.values().forEach(loop -> closed.add(loop.client.close()));
    closed.add(pooled.close());
    return Future.join(closed).mapEmpty();
  }

  private boolean onOwnLoop(Request request) {
    Context context = Vertx.currentContext();
    return context != null && context.isEventLoopContext() && context.owner() == vertx
        && !NOT_SHARED.contains(request.command());
  }

  private LoopConnection loop() {
    return loops.computeIfAbsent(Thread.currentThread(), thread -> new LoopConnection(
        Redis.createClient(vertx, new RedisOptions(options).setMaxPoolSize(1).setPoolName(LOOP_POOL_NAME))));
  }

  /**
   * One event loop's connection. Only that loop's thread touches it: commands are sent from it, and the client
   * completes the connect and reports the connection's end on the context that asked, which runs on it.
   */
  private static final class LoopConnection {

    private final Redis client;
    private Future<RedisConnection> connection;
    private Throwable lastFailure;
    private long retryDelayMillis;
    private long retryAtMillis;

    LoopConnection(Redis client) {
      this.client = client;
    }

    <T> Future<T> send(Function<RedisConnection, Future<T>> command) {
      return connection().compose(command);
    }

    private Future<RedisConnection> connection() {
      if (connection != null) {
        return connection;
      }
      long now = System.currentTimeMillis();
      if (lastFailure != null && now < retryAtMillis) {
        return Future.failedFuture(new IllegalStateException("Redis unreachable, next attempt in "
            + (retryAtMillis - now) + " ms", lastFailure));
      }
      Future<RedisConnection> opening = client.connect();
      connection = opening;
      opening.onComplete(opened -> {
        if (opened.succeeded()) {
          lastFailure = null;
          retryDelayMillis = 0;
          RedisConnection open = opened.result();
          open.endHandler(ended -> lost(opening, open, null));
          open.exceptionHandler(failure -> lost(opening, open, failure));
        } else {
          connection = null;
          lastFailure = opened.cause();
          if (retryDelayMillis == 0) {
            LOG.warn("could not connect to Redis, trying again every second at most: {}", lastFailure.toString());
          }
          retryDelayMillis = Math.min(LAST_RETRY_MILLIS, Math.max(FIRST_RETRY_MILLIS, retryDelayMillis * 2));
          retryAtMillis = System.currentTimeMillis() + retryDelayMillis;
        }
      });
      return opening;
    }

    /** The connection closed or broke: the next command opens another, and its lease goes back to its pool. */
    private void lost(Future<RedisConnection> which, RedisConnection open, Throwable failure) {
      if (connection == which) {
        connection = null;
        LOG.warn("Redis connection lost{}", failure == null ? "" : ": " + failure);
      }
      open.close();
    }
  }
}
