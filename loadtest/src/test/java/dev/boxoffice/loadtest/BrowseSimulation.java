package dev.boxoffice.loadtest;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.listFeeder;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Browsing under load, answered from the cache: {@code connections} anonymous visitors (default 128) load the
 * event list, search for the run's events and open an event page, for {@code durationSeconds}; each answer is
 * checked to be the run's own data.
 */
public class BrowseSimulation extends Simulation {

  private static final int CONNECTIONS = LoadShape.integer("connections", 128, 16);
  private static final int DURATION_SECONDS = LoadShape.integer("durationSeconds", 30, 3);
  private static final int EVENTS = LoadShape.integer("events", 20, 5);

  private final BoxofficeApi api = new BoxofficeApi(LoadShape.baseUrl());
  private final String runTag = "browse" + System.currentTimeMillis();
  private final BoxofficeApi.Account organizer = api.organizer();
  private final List<Map<String, Object>> events = IntStream.range(0, EVENTS)
      .mapToObj(i -> Map.<String, Object>of("eventId",
          api.openSale(organizer, "Concert " + runTag + " " + i, 1_000, 4,
              SaleLedger.Kind.HOLDS).eventId()))
      .toList();
  private final Throughput throughput = new Throughput();

  // Text checks rather than JSON paths: parsing every list page would make the load generator, on the same two
  // cores, spend more per request than the server does, and the figure would measure Gatling.
  private final ChainBuilder visit = exec(
      http("list").get("/api/events").check(status().is(200), substring("{\"items\":[").exists()),
      http("search").get("/api/events?q=" + runTag)
          .check(status().is(200), substring("\"title\":\"Concert " + runTag + " ").count().is(EVENTS)),
      http("event").get("/api/events/#{eventId}")
          .check(status().is(200), substring("{\"id\":\"#{eventId}\"").exists()));

  private final ScenarioBuilder visitors = scenario("Browse")
      .during(Duration.ofSeconds(DURATION_SECONDS), false).on(
          feed(listFeeder(events).random())
              .exec(throughput.measured(visit, 3))
              .exitHereIfFailed());

  {
    setUp(visitors.injectOpen(rampUsers(CONNECTIONS).during(Duration.ofSeconds(1))))
        .protocols(LoadShape.httpProtocol(LoadShape.baseUrl()))
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99.0).lt(LoadShape.p99LimitMs()));
  }

  @Override
  public void after() {
    RunResults.conclude("Browse", new JsonObject()
            .put("connections", CONNECTIONS)
            .put("durationSeconds", DURATION_SECONDS)
            .put("events", EVENTS)
            .put("answers", throughput.answers())
            .put("answersPerSecond", throughput.perSecond()),
        List.of());
  }
}
