package dev.boxoffice.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulations through the local load balancer in front of two backend processes, started as
 * {@code ./boxoffice up --backends 2} starts them (health checks every second here): smoke runs of browsing and of a
 * flash sale, then a sale during which each backend is replaced once, as ECS replaces tasks.
 */
@DisplayName("Through the load balancer with two backends")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BalancedSimulationsTest {

  @TempDir
  static Path dataDir;

  private static BalancedStack stack;
  private static StackControlClient control;

  @BeforeAll
  static void startStack() throws Exception {
    stack = BalancedStack.start(2, dataDir.resolve("stack"), 1);
    control = new StackControlClient(stack.dataDir());
    System.setProperty("boxoffice.profile", "smoke");
    System.setProperty("boxoffice.baseUrl", stack.frontend());
    System.setProperty("boxoffice.stackDataDir", stack.dataDir().toString());
    System.setProperty("boxoffice.resultsDir", dataDir.resolve("results").toString());
  }

  @AfterAll
  static void stopStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(2)
  @DisplayName("a flash sale sells exactly its capacity, both backends selling")
  void flashSale() throws Exception {
    Map<String, Long> before = requestsByTarget();

    JsonObject results = GatlingRun.run(FlashSaleSimulation.class, "FlashSale", dataDir);

    assertThat(results.getLong("placedTickets")).isEqualTo(results.getLong("capacity"));
    assertThat(requestsByTarget()).allSatisfy((target, requests) ->
        assertThat(requests).as("requests %s answered", target).isGreaterThan(before.get(target)));
  }

  @Test
  @Order(1)
  @DisplayName("the event list, a search and event pages answer the run's own events")
  void browse() throws Exception {
    assertThat(GatlingRun.run(BrowseSimulation.class, "Browse", dataDir).getLong("answers")).isPositive();
  }

  @Test
  @Order(3)
  @DisplayName("replacing each backend once during a sale fails no request and oversells nothing")
  void rollingRestart() throws Exception {
    JsonObject results = GatlingRun.run(RollingRestartSimulation.class, "RollingRestart", dataDir);

    JsonArray restarts = results.getJsonArray("restarts");
    assertThat(restarts).hasSize(2);
    assertThat(restarts.stream().map(JsonObject.class::cast).map(restart -> restart.getString("target")))
        .containsExactly("backend-1", "backend-2");
    restarts.stream().map(JsonObject.class::cast).forEach(restart ->
        assertThat(restart.getBoolean("exitedOnSigterm")).as("%s stopped on SIGTERM", restart).isTrue());
    assertThat(results.getLong("purchasesDuringRestarts")).isPositive();
    System.out.printf("rolling restart: %d purchases, p99 %.0f ms (%.0f ms while a backend restarted, max %.0f ms);"
            + " balancer before %s, after %s%n", results.getLong("purchasesAnswered"), results.getDouble("p99Ms"),
        results.getDouble("p99MsDuringRestarts"), results.getDouble("maxMsDuringRestarts"),
        results.getJsonArray("balancerBefore").encode(), results.getJsonArray("balancerAfter").encode());
  }

  private static Map<String, Long> requestsByTarget() {
    Map<String, Long> requests = new HashMap<>();
    control.targets().stream().map(JsonObject.class::cast)
        .forEach(target -> requests.put(target.getString("target"), target.getLong("requests")));
    return requests;
  }
}
