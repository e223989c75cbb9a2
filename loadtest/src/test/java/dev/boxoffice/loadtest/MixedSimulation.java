package dev.boxoffice.loadtest;

import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * Browsing and buying together: {@code users} signed-in buyers (default 1,000) who think {@code thinkMs} (default
 * 100 ms) between steps open the event page 60% of the time, list or search events 30% and buy 10%, for
 * {@code durationSeconds}, on a sale too large to sell out. The run fails unless what is sold is exactly what was
 * acknowledged, in orders within the per-order maximum.
 */
public class MixedSimulation extends Simulation {

  private static final int USERS = LoadShape.integer("users", 1_000, 32);
  private static final int THINK_MS = LoadShape.integer("thinkMs", 100, 100);
  private static final int DURATION_SECONDS = LoadShape.integer("durationSeconds", 30, 3);
  private static final int CAPACITY = 1_000_000;
  private static final int MAX_PER_ORDER = 4;

  private final BoxofficeApi api = new BoxofficeApi(LoadShape.baseUrl());
  private final String runTag = "mixed" + System.currentTimeMillis();
  private final BoxofficeApi.Account organizer = api.organizer();
  private final BoxofficeApi.Sale sale = api.openSale(organizer, "Festival " + runTag, CAPACITY, MAX_PER_ORDER,
      SaleLedger.Kind.ORDERS);
  private final List<BoxofficeApi.Account> buyers = api.loginBuyers(runTag, USERS);
  private final SaleLedger ledger = new SaleLedger(SaleLedger.Kind.ORDERS);

  private final ScenarioBuilder shoppers = scenario("Mixed")
      .feed(LoadShape.accounts(buyers))
      .during(Duration.ofSeconds(DURATION_SECONDS), false).on(
          randomSwitch().on(
                  percent(60.0).then(http("event").get("/api/events/" + sale.eventId())
                      .check(status().is(200), jmesPath("id").is(sale.eventId()))),
                  percent(15.0).then(http("list").get("/api/events")
                      .check(status().is(200), jmesPath("items").exists())),
                  percent(15.0).then(http("search").get("/api/events?q=" + runTag)
                      .check(status().is(200), jmesPath("items[0].id").is(sale.eventId()))),
                  percent(10.0).then(ledger.purchase(sale.ticketTypeId(), MAX_PER_ORDER)))
              .exitHereIfFailed()
              .pause(Duration.ofMillis(THINK_MS)));

  {
    setUp(shoppers.injectOpen(rampUsers(USERS).during(Duration.ofSeconds(1))))
        .protocols(LoadShape.httpProtocol(LoadShape.baseUrl()))
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99.0).lt(LoadShape.p99LimitMs()));
  }

  @Override
  public void after() {
    RunResults.conclude("Mixed", new JsonObject()
            .put("users", USERS)
            .put("thinkMs", THINK_MS)
            .put("durationSeconds", DURATION_SECONDS)
            .put("placedOrders", ledger.placedOrders())
            .put("placedTickets", ledger.placedTickets())
            .put("rateLimitedAnswers", ledger.rateLimited())
            .put("purchasesPerSecond", ledger.purchasesPerSecond()),
        ledger.verify(api, organizer, sale, buyers, false));
  }
}
