package dev.boxoffice.loadtest;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongPredicate;

/**
 * A sale that lasts through a rolling restart of the backends behind the local load balancer, as buyers meet an ECS
 * deployment: {@code buyers} buyers (default 600) each buy 1 to 4 tickets every {@code pauseMs} (2,000: 30 a
 * minute, under the rate limit of 60) of a ticket type of {@code capacity} tickets (default 200,000, more than the
 * run sells), while the simulation replaces each backend of {@code restarts} (default "1,2") in turn through the
 * stack's control endpoint, {@code settleSeconds} (default 10) after the start and before the end. The run fails on
 * a failed request, an answer but 201, 409 sold_out or 429, anything oversold or not acknowledged, or a restart that
 * failed. It runs against a stack started with {@code ./boxoffice up --backends 2}, whose data folder is
 * {@code -Dboxoffice.stackDataDir}.
 */
public class RollingRestartSimulation extends Simulation {

  private static final int BUYERS = LoadShape.integer("buyers", 600, 60);
  private static final int CAPACITY = LoadShape.integer("capacity", 200_000, 20_000);
  private static final int PAUSE_MS = LoadShape.integer("pauseMs", 2_000, 2_000);
  private static final int SETTLE_SECONDS = LoadShape.integer("settleSeconds", 10, 3);
  private static final int MAX_PER_ORDER = 4;
  private static final List<Integer> RESTARTS = Arrays.stream(System.getProperty("boxoffice.restarts", "1,2")
      .split(",")).map(String::trim).map(Integer::parseInt).toList();

  private final BoxofficeApi api = new BoxofficeApi(LoadShape.baseUrl());
  private final StackControlClient control = StackControlClient.fromProperties();
  private final String runTag = "restart" + System.currentTimeMillis();
  private final BoxofficeApi.Account organizer = api.organizer();
  private final BoxofficeApi.Sale sale = api.openSale(organizer, "Rolling restart " + runTag, CAPACITY,
      MAX_PER_ORDER, SaleLedger.Kind.ORDERS);
  private final List<BoxofficeApi.Account> buyers = api.loginBuyers(runTag, BUYERS);
  private final SaleLedger ledger = new SaleLedger(SaleLedger.Kind.ORDERS);
  private final AtomicBoolean restartsOver = new AtomicBoolean();
  private final List<JsonObject> restarts = new CopyOnWriteArrayList<>();
  /** Each restart's {start, end} in System.nanoTime, from the deregistration to the new process's admission. */
  private final List<long[]> restartWindows = new CopyOnWriteArrayList<>();
  private final List<String> restartFailures = new CopyOnWriteArrayList<>();
  private JsonArray targetsBefore;

  private final ScenarioBuilder buying = scenario("RollingRestart")
      .feed(LoadShape.accounts(buyers))
      .exec(session -> session.set("done", false))
      .asLongAs(session -> !session.getBoolean("done") && !restartsOver.get()).on(
          ledger.purchase(sale.ticketTypeId(), MAX_PER_ORDER).pause(Duration.ofMillis(PAUSE_MS)));

  {
    setUp(buying.injectOpen(rampUsers(BUYERS).during(Duration.ofSeconds(2))))
        .protocols(LoadShape.httpProtocol(LoadShape.baseUrl()))
        // No limit on the answer times: a restart costs latency by design (fewer backends serve for a while), and
        // they are what the run measures. An answer slower than the balancer's idle timeout is a failed request.
        .assertions(global().failedRequests().count().is(0L));
  }

  @Override
  public void before() {
    targetsBefore = control.targets();
    Thread.ofPlatform().daemon().name("rolling-restart").start(this::restartEachBackend);
  }

  private void restartEachBackend() {
    try {
      Thread.sleep(Duration.ofSeconds(SETTLE_SECONDS));
      for (int number : RESTARTS) {
        long started = System.nanoTime();
        restarts.add(control.restart(number));
        restartWindows.add(new long[] {started, System.nanoTime()});
      }
      Thread.sleep(Duration.ofSeconds(SETTLE_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      restartFailures.add("the restarts were interrupted");
    } catch (RuntimeException e) {
      restartFailures.add(e.getMessage());
    } finally {
      restartsOver.set(true);
    }
  }

  @Override
  public void after() {
    LongPredicate duringRestarts = sent -> restartWindows.stream()
        .anyMatch(window -> sent >= window[0] && sent <= window[1]);
    List<String> violations = new ArrayList<>(restartFailures);
    if (restarts.size() != RESTARTS.size()) {
      violations.add(restarts.size() + " of " + RESTARTS.size() + " restarts happened");
    }
    if (ledger.answered(duringRestarts) == 0) {
      violations.add("no purchase was sent while a backend restarted");
    }
    violations.addAll(ledger.verify(api, organizer, sale, buyers, false));
    RunResults.conclude("RollingRestart", new JsonObject()
            .put("buyers", BUYERS)
            .put("capacity", CAPACITY)
            .put("pauseMs", PAUSE_MS)
            .put("placedOrders", ledger.placedOrders())
            .put("placedTickets", ledger.placedTickets())
            .put("soldOutAnswers", ledger.soldOut())
            .put("rateLimitedAnswers", ledger.rateLimited())
            .put("purchasesAnswered", ledger.answered(sent -> true))
            .put("purchasesPerSecond", ledger.purchasesPerSecond())
            .put("p50Ms", ledger.answerMillis(50, sent -> true).orElse(0))
            .put("p99Ms", ledger.answerMillis(99, sent -> true).orElse(0))
            .put("maxMs", ledger.answerMillis(100, sent -> true).orElse(0))
            .put("purchasesDuringRestarts", ledger.answered(duringRestarts))
            .put("p50MsDuringRestarts", ledger.answerMillis(50, duringRestarts).orElse(0))
            .put("p99MsDuringRestarts", ledger.answerMillis(99, duringRestarts).orElse(0))
            .put("maxMsDuringRestarts", ledger.answerMillis(100, duringRestarts).orElse(0))
            .put("restarts", new JsonArray(List.copyOf(restarts)))
            .put("balancerBefore", targetsBefore)
            .put("balancerAfter", control.targets()),
        violations);
  }
}
