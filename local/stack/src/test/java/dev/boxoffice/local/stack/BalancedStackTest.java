package dev.boxoffice.local.stack;

import static dev.boxoffice.local.stack.StackApi.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.sessions.RevocationReloadVerticle;
import dev.boxoffice.local.servers.LocalPostgres;
import dev.boxoffice.local.servers.LocalRedis;
import dev.boxoffice.local.stack.LocalBalancer.TargetState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two backend processes behind the local balancer, as ECS runs the tasks behind the ALB, on a PostgreSQL and a Redis
 * of the test's own: what buyers see when one task loses PostgreSQL or every task loses Redis, and what holds when one
 * buyer's requests land on different backends. The balancer checks every second here; thresholds, timeouts and the
 * deregistration delay are the templates'.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BalancedStackTest {

  private static final String ORGANIZER = "organizer@balanced.test";
  private static final String ADMIN = "admin@balanced.test";
  /** What a sign-out may take to hold everywhere (docs/architecture.md, "Signing out"). */
  private static final Duration SIGN_OUT_PROMISE = Duration.ofSeconds(60);
  /** The backends' reload interval of revocations, and the slack a loaded 2-core machine needs on top of it. */
  private static final Duration RELOAD_WITH_SLACK = RevocationReloadVerticle.INTERVAL.plusSeconds(10);
  private static final String CUT_OFF = "backend-2";
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final String CAUGHT_UP = "boxoffice_workflow_catch_up_events_total";

  private static Path dataDir;
  private static LocalPostgres postgres;
  private static LocalRedis redis;
  private static CuttableLink cutOffsPostgres;
  private static LocalStack stack;
  private static LocalBalancer balancer;
  private static StackApi api;
  private static String organizer;
  private static long firstRows;

  @BeforeAll
  static void startStack() throws Exception {
    dataDir = Files.createTempDirectory("boxoffice-balanced");
    postgres = LocalPostgres.start(dataDir.resolve("postgres"), 0, "boxoffice", false);
    // The backend processes migrate as the owner and serve as the application user, as ECS tasks do against RDS.
    postgres.bootstrapUsers(postgres.database(), LocalStack.DATABASE_OWNER, LocalStack.DATABASE_APPLICATION_USER);
    redis = LocalRedis.start(dataDir.resolve("redis"), 0);
    cutOffsPostgres = new CuttableLink(postgres.port());
    Map<String, String> env = TestStackEnvironment.in(dataDir, ORGANIZER);
    env.put("BOXOFFICE_ADMIN_EMAILS", ADMIN);
    env.put("BOXOFFICE_LOG_FORMAT", "text");
    env.put("BOXOFFICE_DB_HOST", postgres.host());
    env.put("BOXOFFICE_DB_PORT", Integer.toString(postgres.port()));
    env.put("BOXOFFICE_DB_USER", LocalStack.DATABASE_APPLICATION_USER);
    env.put("BOXOFFICE_DB_MIGRATION_USER", LocalStack.DATABASE_OWNER);
    env.put("BOXOFFICE_REDIS_URL", redis.url());
    env.put(LocalStack.HEALTH_CHECK_INTERVAL, "1");
    stack = new LocalStack();
    stack.overrideBackendEnvironment(CUT_OFF, Map.of("BOXOFFICE_DB_PORT", Integer.toString(cutOffsPostgres.port())));
    stack.start(LocalStackSettings.fromEnvironment(env), env, Topology.balanced(2));
    balancer = stack.fleet().orElseThrow().balancer();
    api = new StackApi(stack.frontend().toString());
    organizer = api.token(ORGANIZER);
    // Rows for the workflow catch-up, which handles a row a minute after it was relayed: written first, so that
    // the last test waits the least for them.
    body(api.purchase(api.token("first@balanced.test"), api.ticketTypeOnSale(organizer, "First", 10)), 201);
    firstRows = query("SELECT max(id) FROM outbox");
  }

  @AfterAll
  static void stopStack() throws Exception {
    try {
      if (stack != null) {
        stack.close();
      }
    } finally {
      for (AutoCloseable server : new AutoCloseable[] {cutOffsPostgres, redis, postgres}) {
        if (server != null) {
          server.close();
        }
      }
    }
  }

  @Test
  @Order(1)
  @DisplayName("behind the balancer a priced hold gets Stripe's hosted checkout: the backend processes read Stripe's"
      + " keys from the local Secrets Manager with their task role")
  void checkoutThroughTheFleet() throws Exception {
    String buyer = api.token("payer@balanced.test");
    String ticketType = api.ticketTypeOnSale(organizer, "Priced", 10, 2500);
    String hold = body(api.send("POST", "/api/ticket-types/" + ticketType + "/holds", buyer,
        new JsonObject().put("quantity", 1), Map.of("Idempotency-Key", UUID.randomUUID().toString())), 201)
        .getString("id");

    JsonObject checkout = body(api.send("POST", "/api/holds/" + hold + "/checkout", buyer, null), 200);

    assertThat(checkout.getString("checkoutUrl")).startsWith("http://127.0.0.1:");
  }

  @Test
  @Order(1)
  @DisplayName("retries of one purchase answered by different backends return the same order, sequential or concurrent")
  void idempotentRetriesAcrossBackends() throws Exception {
    String ticketTypeId = api.ticketTypeOnSale(organizer, "Retried", 20);
    String buyer = api.token("retrying@balanced.test");
    String key = UUID.randomUUID().toString();

    Served<HttpResponse<String>> first = served(() -> api.purchase(buyer, ticketTypeId, key, 2));
    Served<HttpResponse<String>> retry = served(() -> api.purchase(buyer, ticketTypeId, key, 2));
    while (retry.target().equals(first.target())) {
      retry = served(() -> api.purchase(buyer, ticketTypeId, key, 2));
    }

    String orderId = body(first.answer(), 201).getString("id");
    assertThat(body(retry.answer(), 201).getString("id")).isEqualTo(orderId);
    assertThat(retry.answer().headers().firstValue("Idempotent-Replayed")).hasValue("true");

    String concurrentKey = UUID.randomUUID().toString();
    Map<String, Long> before = requestsByTarget();
    CompletableFuture<HttpResponse<String>> one = CompletableFuture.supplyAsync(
        () -> call(() -> api.purchase(buyer, ticketTypeId, concurrentKey, 1)));
    CompletableFuture<HttpResponse<String>> other = CompletableFuture.supplyAsync(
        () -> call(() -> api.purchase(buyer, ticketTypeId, concurrentKey, 1)));
    assertThat(body(one.join(), 201).getString("id")).isEqualTo(body(other.join(), 201).getString("id"));
    Map<String, Long> after = requestsByTarget();
    assertThat(after).as("each backend got one of the two at once").allSatisfy((target, requests) ->
        assertThat(requests - before.get(target)).isEqualTo(1));
    assertThat(soldOf(ticketTypeId)).isEqualTo(3);
  }

  @Test
  @Order(2)
  @DisplayName("an event page changed through one backend is seen through the other on the next read")
  void cachedPagesFollowChangesMadeElsewhere() throws Exception {
    String ticketTypeId = api.ticketTypeOnSale(organizer, "Before the change", 10);
    String eventId = eventOf(ticketTypeId);
    // Both backends serve and keep the page first.
    Map<String, Long> start = requestsByTarget();
    while (requestsByTarget().entrySet().stream().anyMatch(entry -> entry.getValue() <= start.get(entry.getKey()))) {
      assertThat(body(api.send("GET", "/api/events/" + eventId, null, null), 200).getString("title"))
          .isEqualTo("Before the change");
    }

    Served<HttpResponse<String>> change = served(() -> api.send("PATCH", "/api/events/" + eventId, organizer,
        new JsonObject().put("title", "After the change")));
    body(change.answer(), 200);
    Served<HttpResponse<String>> read = served(() -> api.send("GET", "/api/events/" + eventId, null, null));
    while (read.target().equals(change.target())) {
      read = served(() -> api.send("GET", "/api/events/" + eventId, null, null));
    }

    assertThat(body(read.answer(), 200).getString("title")).isEqualTo("After the change");
  }

  @Test
  @Order(2)
  @DisplayName("a session signed out on one backend is refused by the other within its reload interval and by a"
      + " Lambda route through API Gateway within 60 s, the person's other session going on; signed out everywhere by"
      + " an administrator, every session is refused, and signing in again gives a working session")
  void signOutHoldsOnEveryBackendAndLambda() throws Exception {
    Map<String, String> urls = stack.fleet().orElseThrow().backendUrls();
    StackApi first = new StackApi(urls.get("backend-1"));
    StackApi second = new StackApi(urls.get("backend-2"));
    String email = "leaver-" + UUID.randomUUID() + "@balanced.test";
    String session = api.token(email);
    String otherDevice = api.token(email);
    String lambdaRoute = body(api.send("GET", "/api/client-config", null, null), 200).getString("serverlessApiUrl")
        + "/get-qr-code?ticketId=" + UUID.randomUUID();
    for (StackApi backend : List.of(first, second)) {
      assertThat(backend.send("GET", "/api/me", session, null).statusCode()).isEqualTo(200);
    }
    assertThat(api.sendTo(lambdaRoute, session).statusCode()).as("a live session asks for an unknown ticket")
        .isEqualTo(404);

    body(first.send("POST", "/api/me/sign-out", session, null), 204);

    assertThat(first.send("GET", "/api/me", session, null).statusCode()).isEqualTo(401);
    awaitCondition("the other backend refuses the signed-out session",
        () -> status(second, "/api/me", session) == 401, RELOAD_WITH_SLACK);
    awaitCondition("get-qr-code refuses the signed-out session",
        () -> status(api, lambdaRoute, session) == 401, SIGN_OUT_PROMISE);
    for (StackApi backend : List.of(first, second)) {
      assertThat(backend.send("GET", "/api/me", otherDevice, null).statusCode()).isEqualTo(200);
    }

    body(second.send("POST", "/api/session-revocations", api.token(ADMIN), new JsonObject().put("email", email)), 201);

    assertThat(second.send("GET", "/api/me", otherDevice, null).statusCode()).isEqualTo(401);
    awaitCondition("the other backend refuses every session of the address",
        () -> status(first, "/api/me", otherDevice) == 401, RELOAD_WITH_SLACK);
    awaitCondition("get-qr-code refuses every session of the address",
        () -> status(api, lambdaRoute, otherDevice) == 401, SIGN_OUT_PROMISE);
    // "Everywhere" covers tokens issued in its second (their iat is whole seconds): a sign-in is good from the next.
    Thread.sleep(1000);
    String signedInAgain = api.token(email);
    for (StackApi backend : List.of(first, second)) {
      assertThat(backend.send("GET", "/api/me", signedInAgain, null).statusCode()).isEqualTo(200);
    }
    assertThat(api.sendTo(lambdaRoute, signedInAgain).statusCode()).isEqualTo(404);
  }

  private static int status(StackApi client, String pathOrUrl, String token) {
    try {
      return pathOrUrl.startsWith("http") ? client.sendTo(pathOrUrl, token).statusCode()
          : client.send("GET", pathOrUrl, token, null).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @Order(3)
  @DisplayName("a backend cut off from PostgreSQL is taken out of the balancer, others serve, and it comes back")
  void backendWithoutPostgresIsTakenOutAndComesBack() throws Exception {
    assertThat(balancer.states()).containsOnly(Map.entry("backend-1", TargetState.HEALTHY),
        Map.entry(CUT_OFF, TargetState.HEALTHY));
    StackApi direct = new StackApi(stack.fleet().orElseThrow().backendUrls().get(CUT_OFF));

    cutOffsPostgres.cut();
    try {
      awaitState(CUT_OFF, TargetState.UNHEALTHY);
      HttpResponse<String> readiness = direct.send("GET", "/health/ready", null, null);
      assertThat(readiness.statusCode()).isEqualTo(503);
      assertThat(new JsonObject(readiness.body()).getJsonObject("checks").getString("postgres")).isEqualTo("DOWN");
      long before = requestsByTarget().get(CUT_OFF);
      String ticketTypeId = api.ticketTypeOnSale(organizer, "One backend down", 50);
      String buyer = api.token("while-cut@balanced.test");
      for (int i = 0; i < 10; i++) {
        body(api.purchase(buyer, ticketTypeId), 201);
        body(api.send("GET", "/api/events?limit=5", null, null), 200);
      }
      assertThat(requestsByTarget().get(CUT_OFF)).as("requests the unhealthy backend got").isEqualTo(before);
    } finally {
      cutOffsPostgres.restore();
    }

    awaitState(CUT_OFF, TargetState.HEALTHY);
    // Back in, it gets requests again; with the target group's slow start, few at first.
    long back = requestsByTarget().get(CUT_OFF);
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (requestsByTarget().get(CUT_OFF) == back && System.nanoTime() < deadline) {
      body(api.send("GET", "/api/events?limit=5", null, null), 200);
    }
    HttpResponse<String> directly = direct.send("GET", "/api/events?limit=5", null, null);
    assertThat(requestsByTarget().get(CUT_OFF)).as("requests once it is back (%s; directly: %d %s)",
        balancer.counters().get(CUT_OFF), directly.statusCode(), directly.body()).isGreaterThan(back);
  }

  @Test
  @Order(4)
  @DisplayName("a Redis outage takes no backend out: readiness reports it as degraded and purchases go on")
  void redisOutageTakesNobodyOut() throws Exception {
    String ticketTypeId = api.ticketTypeOnSale(organizer, "Without Redis", 50);
    String buyer = api.token("without-redis@balanced.test");

    redis.stop();
    try {
      // Longer than the unhealthy threshold takes: 3 failed checks, one a second.
      long until = System.nanoTime() + Duration.ofSeconds(6).toNanos();
      while (System.nanoTime() < until) {
        assertThat(balancer.states()).containsOnly(Map.entry("backend-1", TargetState.HEALTHY),
            Map.entry(CUT_OFF, TargetState.HEALTHY));
        Thread.sleep(250);
      }
      JsonObject readiness = body(api.send("GET", "/health/ready", null, null), 200);
      assertThat(readiness.getJsonArray("degraded")).isEqualTo(new JsonArray().add("redis"));
      for (int i = 0; i < 4; i++) {
        body(api.purchase(buyer, ticketTypeId), 201);
      }
    } finally {
      redis.start();
    }
    assertThat(soldOf(ticketTypeId)).isEqualTo(4);
  }

  @Test
  @Order(5)
  @DisplayName("each domain event is relayed by one backend, and the workflow catch-up handles each row once")
  void relayAndCatchUpRunOnceAcrossBackends() throws Exception {
    awaitCondition("every outbox row relayed", () -> query("SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0);
    long relayed = query("SELECT count(*) FROM outbox");
    assertThat(sumOverBackends("boxoffice_outbox_relayed_events_total")).isEqualTo(relayed);

    awaitCondition("the catch-up past the first rows",
        () -> query("SELECT last_outbox_id FROM workflow_catch_up") >= firstRows, Duration.ofMinutes(2));
    // A round counts each row as it handles it and moves the cursor at its end: compared between rounds, each row
    // behind the cursor was counted once, by one backend. A row handled twice would stay counted twice.
    awaitCondition("rows behind the cursor counted once", () -> sumOverBackends(CAUGHT_UP) == query(
        "SELECT count(*) FROM outbox WHERE type IN ('EventPublished', 'OrderCancelled') AND id <= "
            + "(SELECT last_outbox_id FROM workflow_catch_up)"));
    assertThat(sumOverBackends(CAUGHT_UP)).isPositive();
  }

  /** What a request through the balancer answered, and which backend answered it. */
  private record Served<T>(String target, T answer) {
  }

  private static <T> Served<T> served(Callable<T> request) throws Exception {
    Map<String, Long> before = requestsByTarget();
    T answer = request.call();
    Map<String, Long> after = requestsByTarget();
    List<String> targets = after.keySet().stream().filter(target -> after.get(target) > before.get(target)).toList();
    assertThat(targets).as("backends that got the one request").hasSize(1);
    return new Served<>(targets.getFirst(), answer);
  }

  private static Map<String, Long> requestsByTarget() {
    Map<String, Long> requests = new HashMap<>();
    balancer.counters().forEach((target, counters) -> requests.put(target, counters.requests()));
    return requests;
  }

  private static <T> T call(Callable<T> request) {
    try {
      return request.call();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long sumOverBackends(String metric) {
    long sum = 0;
    for (String url : stack.fleet().orElseThrow().backendUrls().values()) {
      sum += (long) call(() -> new StackApi(url).metric(metric)).orElseThrow();
    }
    return sum;
  }

  private static String eventOf(String ticketTypeId) throws Exception {
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
         ResultSet row = connection.createStatement().executeQuery(
             "SELECT event_id FROM ticket_types WHERE id = '" + UUID.fromString(ticketTypeId) + "'")) {
      row.next();
      return row.getString(1);
    }
  }

  private static long soldOf(String ticketTypeId) throws Exception {
    return query("SELECT sold FROM ticket_types WHERE id = '" + UUID.fromString(ticketTypeId) + "'");
  }

  private static long query(String sql) {
    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), "");
         Statement statement = connection.createStatement();
         ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitState(String target, TargetState state) throws InterruptedException {
    awaitCondition(target + " " + state, () -> balancer.state(target) == state);
  }

  private static void awaitCondition(String what, BooleanSupplier condition) throws InterruptedException {
    awaitCondition(what, condition, PATIENCE);
  }

  private static void awaitCondition(String what, BooleanSupplier condition, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("%s within %s", what, patience).isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
