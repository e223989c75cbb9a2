package dev.boxoffice.backend.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.TestServers;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.local.servers.LocalRedis;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The backend's Redis client against a real Redis: what an event loop sends depends on no other loop, and a loop
 * whose connection is lost gets a new one once Redis is back.
 */
class PipelinedRedisTest {

  private static final long STUCK_AT_MOST_SECONDS = 10;

  private Vertx vertx;

  @BeforeEach
  void startVertx() {
    // Two loops, and a loop held on purpose is not reported as blocked.
    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setMaxEventLoopExecuteTime(60)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.SECONDS));
  }

  @AfterEach
  void closeVertx() {
    vertx.close().await();
  }

  @Test
  @DisplayName("while one event loop is stuck (a thread the machine does not schedule, a slow handler), commands"
      + " sent from another loop are answered: no command waits for a loop it was not sent from")
  void commandsWaitForNoOtherEventLoop() throws Exception {
    Redis redis = RedisClients.create(vertx, new Config.Redis(TestServers.redis().url(), Optional.empty(), 4));
    List<Context> contexts = eventLoopContexts(2);
    Context stuckLoop = contexts.get(0);
    Context freeLoop = contexts.get(1);
    assertThat(threadOf(stuckLoop)).as("two loops").isNotEqualTo(threadOf(freeLoop));
    String counter = "bo:test:pipelined:" + UUID.randomUUID();
    // A rush on the first loop first: the client opens what it needs for it there.
    awaitResult(on(stuckLoop, () -> increments(redis, counter, 16)));

    CountDownLatch released = new CountDownLatch(1);
    CountDownLatch stuck = new CountDownLatch(1);
    AtomicBoolean stuckNow = new AtomicBoolean();
    stuckLoop.runOnContext(hold -> {
      stuckNow.set(true);
      stuck.countDown();
      try {
        released.await(STUCK_AT_MOST_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      stuckNow.set(false);
    });
    assertThat(stuck.await(5, TimeUnit.SECONDS)).isTrue();
    AtomicBoolean answeredWhileStuck = new AtomicBoolean();
    Future<List<Response>> fromFreeLoop = on(freeLoop, () -> increments(redis, counter, 50))
        .onSuccess(answered -> answeredWhileStuck.set(stuckNow.get()));
    List<Response> answers = awaitResult(fromFreeLoop);
    released.countDown();

    assertThat(answers).hasSize(50);
    assertThat(answeredWhileStuck).as("answered while the other loop was stuck, not after it was let go").isTrue();
    awaitResult(on(freeLoop, () -> redis.close()));
  }

  @Test
  @DisplayName("when Redis goes away an event loop's commands fail (nothing hangs), and once it is back the loop"
      + " connects again by itself")
  void reconnectsWhenRedisIsBack() throws Exception {
    LocalRedis server = TestServers.newRedis();
    try {
      Redis redis = RedisClients.create(vertx, new Config.Redis(server.url(), Optional.empty(), 4));
      Context loop = eventLoopContexts(1).get(0);
      Request ping = Request.cmd(Command.PING);
      assertThat(awaitResult(on(loop, () -> redis.send(ping))).toString()).isEqualTo("PONG");

      server.stop();
      Throwable whileDown = on(loop, () -> redis.send(ping)).transform(done -> Future.succeededFuture(done.cause()))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      server.start();
      String afterwards = null;
      for (int attempt = 0; attempt < 100 && afterwards == null; attempt++) {
        Thread.sleep(100);
        afterwards = on(loop, () -> redis.send(ping)).map(Response::toString).otherwiseEmpty()
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      }

      assertThat(whileDown).as("a command while Redis is down fails").isNotNull();
      assertThat(afterwards).as("answered again once Redis is back").isEqualTo("PONG");
      awaitResult(on(loop, () -> redis.close()));
    } finally {
      server.close();
    }
  }

  /** Contexts on distinct event loops, as verticle instances get them. */
  private List<Context> eventLoopContexts(int count) throws Exception {
    List<Context> contexts = new CopyOnWriteArrayList<>();
    awaitResult(vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() throws Exception {
        contexts.add(context);
        return super.start();
      }
    }, new DeploymentOptions().setInstances(count)));
    return contexts;
  }

  private static Future<List<Response>> increments(Redis redis, String counter, int count) {
    List<Future<Response>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(redis.send(Request.cmd(Command.INCR).arg(counter)));
    }
    return Future.all(sent).map(all -> all.list());
  }

  private static <T> Future<T> on(Context context, Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(start -> work.get().onComplete(done));
    return done.future();
  }

  private static <T> T awaitResult(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(STUCK_AT_MOST_SECONDS * 2, TimeUnit.SECONDS);
  }

  private static String threadOf(Context context) throws Exception {
    return awaitResult(on(context, () -> Future.succeededFuture(Thread.currentThread().getName())));
  }
}
