package dev.boxoffice.backend.sales;

import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.Boxoffice;
import dev.boxoffice.backend.TestServers;
import dev.boxoffice.backend.web.TestApi;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Rushes through HTTP on the real backend, PostgreSQL and Redis: never more tickets than capacity. */
class PurchaseRushTest {

  private static final int CAPACITY = 500;
  private static final int BUYERS = 2_000;

  private static TestApi api;
  private static Vertx redisVertx;
  private static Redis redis;

  @BeforeAll
  static void start() {
    api = TestApi.shared();
    redisVertx = Vertx.vertx();
    redis = Redis.createClient(redisVertx, TestServers.redis().url());
  }

  @AfterAll
  static void stop() {
    await(redisVertx.close());
  }

  @Test
  @DisplayName("2,000 buyers rushing 500 tickets get exactly 500 tickets and 1,500 sold-out answers")
  void rush() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Rush"), CAPACITY, 4);

    Rush rush = rush(ticketTypeId, "rush", answered -> { });

    System.out.printf("9a: %d concurrent purchases through HTTP (capacity %d) answered in %d ms%n", BUYERS, CAPACITY,
        rush.elapsed().toMillis());
    assertExactlySoldOut(ticketTypeId, rush);
  }

  @Test
  @DisplayName("a sale's purchases go through while other traffic holds every connection of the shared pool, as a"
      + " waiting room's visits did at an on-sale (the purchase waited for them before the lanes had connections of"
      + " their own)")
  void purchasesDoNotQueueBehindTheSharedPool() throws Exception {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Beside a busy pool"), CAPACITY, 4);
    String buyer = api.buyerToken("beside-a-busy-pool@example.org");
    List<SqlConnection> held = new ArrayList<>();
    try {
      for (int i = 0; i < api.app().config().database().poolSize(); i++) {
        held.add(await(api.app().pool().getConnection()));
      }
      HttpResponse<Buffer> answer = api.purchase(ticketTypeId, buyer, TestApi.newKey(), 2)
          .await(10, TimeUnit.SECONDS);

      assertThat(answer.statusCode()).isEqualTo(201);
      assertThat(answer.bodyAsJsonObject().getJsonArray("tickets")).hasSize(2);
    } finally {
      held.forEach(SqlConnection::close);
    }
  }

  @Test
  @DisplayName("flushing Redis in the middle of a rush costs speed only: still exactly 500 tickets")
  void rushWithRedisFlushed() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Rush with a flush"), CAPACITY, 4);
    AtomicInteger answeredAtFlush = new AtomicInteger(-1);

    Rush rush = rush(ticketTypeId, "flush", answered -> {
      if (answered == 700) {
        redis.send(Request.cmd(Command.FLUSHALL)).onSuccess(ok -> answeredAtFlush.set(answered));
      }
    });

    System.out.printf("9b: %d concurrent purchases through HTTP (capacity %d), Redis flushed after %d answers,"
        + " answered in %d ms%n", BUYERS, CAPACITY, answeredAtFlush.get(), rush.elapsed().toMillis());
    assertThat(answeredAtFlush.get()).as("FLUSHALL ran mid-rush").isEqualTo(700);
    assertExactlySoldOut(ticketTypeId, rush);
    assertThat(await(redis.send(Request.cmd(Command.EXISTS).arg("bo:soldout:" + ticketTypeId))).toInteger())
        .as("the sold-out flag is set again after the flush").isEqualTo(1);
  }

  @Test
  @DisplayName("two backends sharing PostgreSQL split a rush of 2,000 buyers and still sell exactly 500 tickets")
  void rushAcrossTwoBackends() throws Exception {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Rush on two backends"), CAPACITY, 4);
    int secondPort = LoopbackPorts.free();
    try (Boxoffice second = Boxoffice.start(api.app().config().toBuilder()
        .http("127.0.0.1", secondPort).build())) {
      AtomicInteger sentCount = new AtomicInteger();
      Rush rush = rush(ticketTypeId, "two", token -> sentCount.getAndIncrement() % 2 == 0
          ? api.purchase(ticketTypeId, token, UUID.randomUUID().toString(), 1)
          : api.request(HttpMethod.POST, secondPort, "/api/ticket-types/" + ticketTypeId + "/purchases", token)
              .putHeader("Idempotency-Key", UUID.randomUUID().toString())
              .sendJsonObject(new JsonObject().put("quantity", 1)), answered -> { });

      assertExactlySoldOut(ticketTypeId, rush);
      assertThat(count("SELECT count(DISTINCT buyer_email) FROM orders WHERE ticket_type_id = '" + ticketTypeId
          + "' AND buyer_email ~ '^two[0-9]*[13579]@'")).as("the second backend sold some").isPositive();
    }
  }

  @Test
  @DisplayName("the same Idempotency-Key sent 20 times at once makes one order, and every answer carries it")
  void sameKeyTwentyTimes() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Retries"), 100, 4);
    String token = api.buyerToken("retrier@example.org");
    String key = TestApi.newKey();

    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add(api.purchase(ticketTypeId, token, key, 3));
    }
    await(Future.join(sent));

    Set<String> orderIds = new HashSet<>();
    Set<JsonObject> bodies = new HashSet<>();
    for (Future<HttpResponse<Buffer>> response : sent) {
      assertThat(response.result().statusCode()).as(response.result().bodyAsString()).isEqualTo(201);
      orderIds.add(response.result().bodyAsJsonObject().getString("id"));
      bodies.add(response.result().bodyAsJsonObject());
    }
    assertThat(orderIds).hasSize(1);
    assertThat(bodies).as("same ticket ids in every answer").hasSize(1);
    assertThat(count("SELECT count(*) FROM orders WHERE buyer_email = 'retrier@example.org'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM tickets WHERE ticket_type_id = '" + ticketTypeId + "'")).isEqualTo(3);
    assertThat(soldOf(ticketTypeId)).isEqualTo(3);

    HttpResponse<Buffer> later = await(api.purchase(ticketTypeId, token, key, 3));
    assertThat(later.statusCode()).isEqualTo(201);
    assertThat(later.bodyAsJsonObject()).isEqualTo(bodies.iterator().next());
    assertThat(later.getHeader("Idempotent-Replayed")).isEqualTo("true");
  }

  @Test
  @DisplayName("a request that does not fit what remains is refused whole, and a smaller one still fits")
  void noPartialOrders() {
    String ticketTypeId = api.ticketTypeOnSale(api.publishedEvent("Tight"), 3, 4);
    String token = api.buyerToken("partial@example.org");

    assertThat(await(api.purchase(ticketTypeId, token, TestApi.newKey(), 2)).statusCode()).isEqualTo(201);
    HttpResponse<Buffer> tooMany = await(api.purchase(ticketTypeId, token, TestApi.newKey(), 2));

    assertThat(tooMany.statusCode()).isEqualTo(409);
    assertThat(tooMany.bodyAsJsonObject().getString("code")).isEqualTo("sold_out");
    assertThat(soldOf(ticketTypeId)).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM tickets WHERE ticket_type_id = '" + ticketTypeId + "'")).isEqualTo(2);
    assertThat(await(api.purchase(ticketTypeId, token, TestApi.newKey(), 1)).statusCode())
        .as("the last ticket still sells: a refusal for size does not flag the type sold out").isEqualTo(201);
  }

  @Test
  @DisplayName("cancelling an event in the middle of a rush leaves no placed order and no valid ticket behind")
  void cancelDuringRush() {
    String eventId = api.publishedEvent("Cancelled mid-rush");
    String ticketTypeId = api.ticketTypeOnSale(eventId, CAPACITY, 4);
    String organizer = api.organizerToken(TestApi.ORGANIZER);
    List<Future<HttpResponse<Buffer>>> cancellation = new ArrayList<>();

    Rush rush = rush(ticketTypeId, "cancel", answered -> {
      if (answered == 300) {
        cancellation.add(api.request(HttpMethod.POST, "/api/events/" + eventId + "/cancel", organizer).send());
      }
    });
    HttpResponse<Buffer> cancelled = await(cancellation.get(0));

    assertThat(cancelled.statusCode()).as(cancelled.bodyAsString()).isEqualTo(200);
    assertThat(rush.responses()).allSatisfy(response -> assertThat(response.statusCode()).isIn(201, 409));
    assertThat(rush.responses().stream().filter(response -> response.statusCode() == 201)).isNotEmpty();
    assertThat(count("SELECT count(*) FROM orders WHERE ticket_type_id = '" + ticketTypeId + "' AND status = 'placed'"))
        .isZero();
    assertThat(count("SELECT count(*) FROM tickets WHERE ticket_type_id = '" + ticketTypeId + "' AND status = 'valid'"))
        .isZero();
    assertThat(soldOf(ticketTypeId)).isZero();
  }

  private record Rush(List<HttpResponse<Buffer>> responses, Duration elapsed) {
  }

  /** Every buyer sends one purchase of one ticket at the same moment; {@code onAnswer} sees the running count. */
  private Rush rush(String ticketTypeId, String prefix, Consumer<Integer> onAnswer) {
    return rush(ticketTypeId, prefix,
        token -> api.purchase(ticketTypeId, token, UUID.randomUUID().toString(), 1), onAnswer);
  }

  private Rush rush(String ticketTypeId, String prefix, Function<String, Future<HttpResponse<Buffer>>> purchase,
                    Consumer<Integer> onAnswer) {
    List<String> tokens = new ArrayList<>(BUYERS);
    for (int i = 0; i < BUYERS; i++) {
      tokens.add(api.buyerToken(prefix + i + "@example.org"));
    }
    AtomicInteger answered = new AtomicInteger();
    List<Future<HttpResponse<Buffer>>> sent = new ArrayList<>(BUYERS);
    long started = System.nanoTime();
    for (String token : tokens) {
      sent.add(purchase.apply(token).andThen(done -> onAnswer.accept(answered.incrementAndGet())));
    }
    await(Future.join(sent));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    return new Rush(sent.stream().map(Future::result).toList(), elapsed);
  }

  private void assertExactlySoldOut(String ticketTypeId, Rush rush) {
    long placed = rush.responses().stream().filter(response -> response.statusCode() == 201).count();
    List<HttpResponse<Buffer>> others = rush.responses().stream().filter(response -> response.statusCode() != 201)
        .toList();
    assertThat(placed).isEqualTo(CAPACITY);
    assertThat(others).hasSize(BUYERS - CAPACITY).allSatisfy(response -> {
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(409);
      assertThat(response.bodyAsJsonObject().getString("code")).isEqualTo("sold_out");
    });
    assertThat(count("SELECT count(*) FROM tickets WHERE ticket_type_id = '" + ticketTypeId + "'"))
        .isEqualTo(CAPACITY);
    assertThat(soldOf(ticketTypeId)).isEqualTo(CAPACITY);
    assertThat(count("SELECT count(DISTINCT buyer_email) FROM orders WHERE ticket_type_id = '" + ticketTypeId + "'"))
        .isEqualTo(CAPACITY);
  }

  private static int soldOf(String ticketTypeId) {
    Row row = await(api.app().pool().preparedQuery("SELECT sold FROM ticket_types WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(ticketTypeId)))).iterator().next();
    return row.getInteger("sold");
  }

  private static long count(String sql) {
    return await(api.app().pool().query(sql).execute()).iterator().next().getLong(0);
  }
}
