package dev.boxoffice.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.servers.LoopbackPorts;
import io.gatling.javaapi.core.Simulation;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke profile of every simulation, a few seconds each, against a backend and a hello-JSON server started
 * here on free loopback ports: the load tests keep working and their own checks keep passing.
 */
@DisplayName("Smoke runs of the load simulations")
class SmokeSimulationsTest {

  @TempDir
  static Path dataDir;

  private static LocalBackend backend;
  private static Vertx hello;

  @BeforeAll
  static void startServers() throws Exception {
    backend = LocalBackend.start(dataDir.resolve("backend"), 0, false);
    int helloPort = LoopbackPorts.free();
    hello = HelloJsonServer.deploy(helloPort);
    System.setProperty("boxoffice.profile", "smoke");
    System.setProperty("boxoffice.baseUrl", backend.baseUrl());
    System.setProperty("boxoffice.helloUrl", "http://127.0.0.1:" + helloPort);
    System.setProperty("boxoffice.resultsDir", dataDir.resolve("results").toString());
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (hello != null) {
      hello.close().await(30, TimeUnit.SECONDS);
    }
    if (backend != null) {
      backend.close();
    }
  }

  @Test
  @DisplayName("a flash sale of priced tickets holds exactly its capacity for acknowledged holds and answers only 201,"
      + " 409 or 429")
  void flashSale() throws Exception {
    JsonObject results = run(FlashSaleSimulation.class, "FlashSale");
    assertThat(results.getString("sale")).isEqualTo("holds");
    assertThat(results.getLong("placedTickets")).isEqualTo(results.getLong("capacity"));
    assertThat(results.getLong("soldOutAnswers")).isPositive();
  }

  @Test
  @DisplayName("a flash sale of free tickets sells exactly its capacity to acknowledged orders")
  void flashSaleOfFreeTickets() throws Exception {
    System.setProperty("boxoffice.sale", "purchases");
    try {
      JsonObject results = run(FlashSaleSimulation.class, "FlashSale");
      assertThat(results.getString("sale")).isEqualTo("purchases");
      assertThat(results.getLong("placedTickets")).isEqualTo(results.getLong("capacity"));
    } finally {
      System.clearProperty("boxoffice.sale");
    }
  }

  @Test
  @DisplayName("holds left unpaid run out and their tickets sell again: every ticket sold exactly once in the end")
  void holdExpiry() throws Exception {
    JsonObject results = run(HoldExpirySimulation.class, "HoldExpiry");
    assertThat(results.getLong("unpaidHolds")).isPositive();
    assertThat(results.getLong("ticketsResold")).isPositive();
  }

  @Test
  @DisplayName("purchases of a sold-out ticket type are all refused with 409 sold_out or 429 and sell nothing")
  void soldOut() throws Exception {
    JsonObject results = run(SoldOutSimulation.class, "SoldOut");
    assertThat(results.getLong("placedOrdersDuringLoad")).isZero();
    assertThat(results.getLong("soldOutAnswers") + results.getLong("rateLimitedAnswers")).isPositive();
  }

  @Test
  @DisplayName("an on-sale behind a waiting room: nobody over the per-buyer limit, the pre-queue shuffled, later"
      + " arrivals first come first served")
  void waitingRoom() throws Exception {
    JsonObject results = run(WaitingRoomSimulation.class, "WaitingRoom");
    assertThat(results.getInteger("maxTicketsOfOneBuyer")).isBetween(1, results.getInteger("limitPerBuyer"));
    assertThat(results.getLong("fifoViolations")).isZero();
    assertThat(results.getInteger("preQueue")).isPositive();
    assertThat(results.getInteger("afterOpening")).isPositive();
  }

  @Test
  @DisplayName("the event list, a search and event pages answer the run's own events under load")
  void browse() throws Exception {
    assertThat(run(BrowseSimulation.class, "Browse").getLong("answers")).isPositive();
  }

  @Test
  @DisplayName("browsing and buying together sell exactly what was acknowledged")
  void mixed() throws Exception {
    assertThat(run(MixedSimulation.class, "Mixed").getLong("placedOrders")).isPositive();
  }

  @Test
  @DisplayName("the hello-JSON ceiling answers every request")
  void helloJson() throws Exception {
    assertThat(run(HelloJsonSimulation.class, "HelloJson").getLong("answers")).isPositive();
  }

  private static JsonObject run(Class<? extends Simulation> simulation, String name) throws Exception {
    return GatlingRun.run(simulation, name, dataDir);
  }
}
