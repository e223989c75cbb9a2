package dev.boxoffice.loadtest;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The rejection path: a priced ticket type fully held during setup, then {@code connections} connections (default
 * 128) keep trying to hold it for {@code durationSeconds}, each request by the next of {@code buyers} buyers
 * (default 15,000), so that the latecomers stay under the per-buyer rate limit and meet the sold-out path, not the
 * rate limiter. Every answer must be a 409 sold_out or a 429, and nothing more may be held.
 */
public class SoldOutSimulation extends Simulation {

  private static final int CONNECTIONS = LoadShape.integer("connections", 128, 16);
  private static final int DURATION_SECONDS = LoadShape.integer("durationSeconds", 30, 3);
  /** 30 s at 25,000 answers/s spread over 15,000 buyers is 50 purchases each, under the limit of 60 a minute. */
  private static final int BUYERS = LoadShape.integer("buyers", 15_000, 300);
  private static final int CAPACITY = 4;

  private final BoxofficeApi api = new BoxofficeApi(LoadShape.baseUrl());
  private final String runTag = "soldout" + System.currentTimeMillis();
  private final BoxofficeApi.Account organizer = api.organizer();
  private final BoxofficeApi.Sale sale = api.openSale(organizer, "Sold out " + runTag, CAPACITY, CAPACITY,
      SaleLedger.Kind.HOLDS);
  private final BoxofficeApi.Account firstBuyer = api.login(runTag + "-first@example.org");
  private final List<BoxofficeApi.Account> buyers = api.loginBuyers(runTag, BUYERS);
  private final SaleLedger ledger = new SaleLedger(SaleLedger.Kind.HOLDS);

  private final ScenarioBuilder latecomers = scenario("SoldOut")
      .during(Duration.ofSeconds(DURATION_SECONDS), false).on(feed(LoadShape.accounts(buyers))
          .exec(ledger.purchase(sale.ticketTypeId(), CAPACITY))
          .exitHereIfFailed());

  {
    buyOut();
    setUp(latecomers.injectOpen(rampUsers(CONNECTIONS).during(Duration.ofSeconds(1))))
        .protocols(LoadShape.httpProtocol(LoadShape.baseUrl()))
        .assertions(
            global().failedRequests().count().is(0L),
            details(SaleLedger.Kind.HOLDS.request()).responseTime().percentile(99.0).lt(LoadShape.p99LimitMs()));
  }

  private void buyOut() {
    String key = UUID.randomUUID().toString();
    HttpResponse<String> bought = api.purchase(firstBuyer, sale, key, CAPACITY);
    if (bought.statusCode() != 201) {
      throw new IllegalStateException("the setup purchase answered " + bought.statusCode() + ": " + bought.body());
    }
    ledger.acknowledge(new SaleLedger.Placed(firstBuyer.email(), firstBuyer.token(), key, CAPACITY,
        new JsonObject(bought.body()).getString("id")));
  }

  @Override
  public void after() {
    List<BoxofficeApi.Account> everyone = new ArrayList<>(buyers);
    everyone.add(firstBuyer);
    RunResults.conclude("SoldOut", new JsonObject()
            .put("connections", CONNECTIONS)
            .put("buyers", BUYERS)
            .put("durationSeconds", DURATION_SECONDS)
            .put("soldOutAnswers", ledger.soldOut())
            .put("rateLimitedAnswers", ledger.rateLimited())
            .put("placedOrdersDuringLoad", ledger.placedOrders() - 1)
            .put("answersPerSecond", ledger.answersPerSecond()),
        ledger.verify(api, organizer, sale, everyone, true));
  }
}
