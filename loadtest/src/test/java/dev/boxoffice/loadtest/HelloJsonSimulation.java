package dev.boxoffice.loadtest;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;

/**
 * The ceiling: the same load generator and connection count as Browse and SoldOut against {@link HelloJsonServer}
 * at {@code -Dboxoffice.helloUrl} (default http://127.0.0.1:8081).
 */
public class HelloJsonSimulation extends Simulation {

  private static final int CONNECTIONS = LoadShape.integer("connections", 128, 16);
  private static final int DURATION_SECONDS = LoadShape.integer("durationSeconds", 30, 3);
  private static final String HELLO_URL = System.getProperty("boxoffice.helloUrl", "http://127.0.0.1:8081");

  private final Throughput throughput = new Throughput();

  private final ScenarioBuilder callers = scenario("HelloJson")
      .during(Duration.ofSeconds(DURATION_SECONDS), false).on(
          throughput.measured(exec(http("hello").get("/hello")
              .check(status().is(200), jmesPath("message").is("Hello, World!"))), 1)
              .exitHereIfFailed());

  {
    setUp(callers.injectOpen(rampUsers(CONNECTIONS).during(Duration.ofSeconds(1))))
        .protocols(LoadShape.httpProtocol(HELLO_URL))
        .assertions(
            global().failedRequests().count().is(0L),
            global().responseTime().percentile(99.0).lt(LoadShape.p99LimitMs()));
  }

  @Override
  public void after() {
    RunResults.conclude("HelloJson", new JsonObject()
            .put("connections", CONNECTIONS)
            .put("durationSeconds", DURATION_SECONDS)
            .put("answers", throughput.answers())
            .put("answersPerSecond", throughput.perSecond()),
        List.of());
  }
}
