package dev.boxoffice.loadtest;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * The ticket rush: {@code buyers} virtual buyers (default 2,000, arriving within {@code rampMs}) each take 1 to 4
 * tickets at a time of one ticket type of {@code capacity} tickets (default 10,000), each with their own session
 * and a fresh Idempotency-Key per request, until they are told it is sold out. A priced sale (the default,
 * {@code -Dboxoffice.sale=holds}) makes holds, as paid tickets are sold now; {@code -Dboxoffice.sale=purchases}
 * buys free tickets at once, the previous figures' path. The run fails unless exactly the capacity is held (or sold)
 * to the acknowledged requests and every answer was a 201, a 409 sold_out or a 429.
 */
public class FlashSaleSimulation extends Simulation {

  private static final int BUYERS = LoadShape.integer("buyers", 2_000, 40);
  private static final int CAPACITY = LoadShape.integer("capacity", 10_000, 300);
  private static final int RAMP_MS = LoadShape.integer("rampMs", 1_000, 1_000);
  private static final int MAX_PER_ORDER = 4;

  private final BoxofficeApi api = new BoxofficeApi(LoadShape.baseUrl());
  private final String runTag = "flashsale" + System.currentTimeMillis();
  private final BoxofficeApi.Account organizer = api.organizer();
  private final SaleLedger.Kind kind = SaleLedger.Kind.ofRun();
  private final BoxofficeApi.Sale sale = api.openSale(organizer, "Flash sale " + runTag, CAPACITY, MAX_PER_ORDER,
      kind);
  private final List<BoxofficeApi.Account> buyers = api.loginBuyers(runTag, BUYERS);
  private final SaleLedger ledger = new SaleLedger(kind);

  private final ScenarioBuilder rush = scenario("FlashSale")
      .feed(LoadShape.accounts(buyers))
      .exec(session -> session.set("done", false))
      .asLongAs(session -> !session.getBoolean("done")).on(ledger.purchase(sale.ticketTypeId(), MAX_PER_ORDER));

  {
    setUp(rush.injectOpen(rampUsers(BUYERS).during(Duration.ofMillis(RAMP_MS))))
        .protocols(LoadShape.httpProtocol(LoadShape.baseUrl()))
        .assertions(
            global().failedRequests().count().is(0L),
            details(kind.request()).responseTime().percentile(99.0).lt(LoadShape.p99LimitMs()));
  }

  @Override
  public void after() {
    RunResults.conclude("FlashSale", new JsonObject()
            .put("sale", kind.path())
            .put("buyers", BUYERS)
            .put("capacity", CAPACITY)
            .put("placedOrders", ledger.placedOrders())
            .put("placedTickets", ledger.placedTickets())
            .put("soldOutAnswers", ledger.soldOut())
            .put("rateLimitedAnswers", ledger.rateLimited())
            .put("sellingSeconds", ledger.sellingSeconds())
            .put("purchasesPerSecond", ledger.purchasesPerSecond())
            .put("ticketsPerSecond", ledger.sellingSeconds() == 0 ? 0 : ledger.placedTickets() / ledger.sellingSeconds()),
        ledger.verify(api, organizer, sale, buyers, true));
  }
}
