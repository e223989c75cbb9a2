package dev.boxoffice.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Holds that run out and sell again: a priced sale of {@code capacity} tickets (default 10,000) whose holds last a
 * minute. First {@code buyers} buyers (default 3,000) hold 1 to 4 tickets at a time until it is sold out; 70% of the
 * holds are paid on the local Stripe server's hosted page, 30% never are. After the minute, the unpaid holds run out
 * and their tickets go back on sale; {@code lateBuyers} buyers (default 1,500) arriving then hold and pay for them
 * until it is sold out again. The run fails unless nothing was ever oversold and, in the end, every ticket is sold
 * exactly once: sold equals capacity, nothing is held, every paid hold is confirmed into an order and every unpaid one
 * expired, and no ticket is in two orders.
 */
public class HoldExpirySimulation extends Simulation {

  private static final int BUYERS = LoadShape.integer("buyers", 3_000, 40);
  private static final int LATE_BUYERS = LoadShape.integer("lateBuyers", 1_500, 30);
  private static final int CAPACITY = LoadShape.integer("capacity", 10_000, 100);
  private static final int MAX_PER_ORDER = 4;
  private static final double PAYING = 0.7;
  private static final int HOLD_MINUTES = 1;
  private static final Duration SETTLE = Duration.ofSeconds(90);

  /** A hold the run made, and whether its buyer paid for it. */
  private record Made(String email, String token, String holdId, int quantity, boolean paid) {
  }

  private final BoxofficeApi api = new BoxofficeApi(LoadShape.baseUrl());
  private final String runTag = "expiry" + System.currentTimeMillis();
  private final BoxofficeApi.Account organizer = api.organizer();
  private final BoxofficeApi.Sale sale = api.openSale(organizer, "Expiring holds " + runTag, CAPACITY, MAX_PER_ORDER,
      SaleLedger.Kind.HOLDS, HOLD_MINUTES);
  private final List<BoxofficeApi.Account> early = api.loginBuyers(runTag + "-early", BUYERS);
  private final List<BoxofficeApi.Account> late = api.loginBuyers(runTag + "-late", LATE_BUYERS);
  private final ConcurrentLinkedQueue<Made> made = new ConcurrentLinkedQueue<>();
  private volatile Instant firstHold;
  private volatile Instant lastPaid;

  private ScenarioBuilder wave(String name, List<BoxofficeApi.Account> buyers, double paying) {
    return scenario(name)
        .feed(LoadShape.accounts(buyers))
        .exec(session -> session.set("done", false))
        .asLongAs(session -> !session.getBoolean("done")).on(holdAndMaybePay(paying));
  }

  private ChainBuilder holdAndMaybePay(double paying) {
    return exec(session -> {
      if (firstHold == null) {
        firstHold = Instant.now();
      }
      return session.set("key", UUID.randomUUID().toString())
          .set("quantity", ThreadLocalRandom.current().nextInt(1, MAX_PER_ORDER + 1))
          .set("pays", ThreadLocalRandom.current().nextDouble() < paying);
    })
        .exec(http("hold").post("/api/ticket-types/" + sale.ticketTypeId() + "/holds")
            .header("Authorization", "Bearer #{token}")
            .header("Idempotency-Key", "#{key}")
            .body(StringBody("{\"quantity\":#{quantity}}")).asJson()
            .check(status().in(201, 409, 429).saveAs("status"))
            .checkIf((response, session) -> response.status().code() == 201)
            .then(jsonPath("$.id").saveAs("holdId")))
        .doIf(session -> session.getInt("status") == 201 && session.getBoolean("pays")).then(
            exec(http("checkout").post("/api/holds/#{holdId}/checkout")
                .header("Authorization", "Bearer #{token}")
                .check(status().is(200), jsonPath("$.checkoutUrl").saveAs("checkoutUrl")))
            .exec(http("pay").post("#{checkoutUrl}")
                .formParam("cardNumber", "4242424242424242").formParam("expiry", "12 / 34").formParam("cvc", "123")
                .disableFollowRedirect()
                .check(status().is(303))))
        .exec(this::record);
  }

  private Session record(Session session) {
    int status = session.contains("status") ? session.getInt("status") : 0;
    if (status == 201) {
      boolean paid = session.getBoolean("pays") && !session.isFailed();
      made.add(new Made(session.getString("email"), session.getString("token"), session.getString("holdId"),
          session.getInt("quantity"), paid));
      if (paid) {
        lastPaid = Instant.now();
      }
    }
    return session.remove("status").remove("holdId").remove("checkoutUrl").set("done", status != 201);
  }

  {
    Duration expiry = Duration.ofMinutes(HOLD_MINUTES).plusSeconds(10);
    setUp(
        wave("FirstRush", early, PAYING).injectOpen(rampUsers(BUYERS).during(Duration.ofSeconds(1))),
        wave("LateBuyers", late, 1.0).injectOpen(nothingFor(expiry), rampUsers(LATE_BUYERS)
            .during(Duration.ofSeconds(1))))
        .protocols(LoadShape.httpProtocol(LoadShape.baseUrl()))
        .assertions(global().failedRequests().count().is(0L));
  }

  @Override
  public void after() {
    List<String> violations = new ArrayList<>();
    JsonObject summary = settled(violations);
    List<Made> holds = List.copyOf(made);
    long paidTickets = holds.stream().filter(Made::paid).mapToLong(Made::quantity).sum();
    long unpaidTickets = holds.stream().filter(hold -> !hold.paid()).mapToLong(Made::quantity).sum();
    if (summary.getInteger("sold") != CAPACITY || summary.getInteger("held") != 0) {
      violations.add("not every ticket sold exactly once: " + summary.encode());
    }
    if (paidTickets != CAPACITY) {
      violations.add(paidTickets + " tickets were paid for, not the capacity of " + CAPACITY);
    }
    if (unpaidTickets == 0) {
      violations.add("no hold was left unpaid: the run did not test expiry");
    }
    checkEachHold(holds, violations);
    RunResults.conclude("HoldExpiry", new JsonObject()
            .put("capacity", CAPACITY)
            .put("buyers", BUYERS)
            .put("lateBuyers", LATE_BUYERS)
            .put("holds", holds.size())
            .put("unpaidHolds", holds.stream().filter(hold -> !hold.paid()).count())
            .put("unpaidTicketShare", holds.isEmpty() ? 0 : (double) unpaidTickets / (unpaidTickets + paidTickets))
            .put("ticketsResold", unpaidTickets)
            .put("sellingSeconds", firstHold == null || lastPaid == null ? 0
                : Duration.between(firstHold, lastPaid).toMillis() / 1000.0),
        violations);
  }

  /** The summary once every payment is confirmed (webhooks are asynchronous), or as it is after {@link #SETTLE}. */
  private JsonObject settled(List<String> violations) {
    Instant deadline = Instant.now().plus(SETTLE);
    JsonObject summary = api.summaryOf(organizer, sale);
    while (summary.getInteger("sold") < CAPACITY && Instant.now().isBefore(deadline)) {
      if (summary.getInteger("sold") + summary.getInteger("held") > CAPACITY) {
        violations.add("oversold: " + summary.encode());
      }
      sleep();
      summary = api.summaryOf(organizer, sale);
    }
    return summary;
  }

  /** Paid holds confirmed into orders whose tickets are all distinct; unpaid ones expired. */
  private void checkEachHold(List<Made> holds, List<String> violations) {
    Set<String> tickets = new HashSet<>();
    for (Made hold : holds) {
      JsonObject now = api.holdOf(new BoxofficeApi.Account(hold.email(), hold.token()), hold.holdId());
      String expected = hold.paid() ? "confirmed" : "expired";
      if (!expected.equals(now.getString("status"))) {
        violations.add("hold " + hold.holdId() + " is " + now.getString("status") + ", not " + expected);
      }
    }
    for (BoxofficeApi.Account buyer : buyers(holds)) {
      for (JsonObject order : api.ordersOf(buyer)) {
        if (!sale.ticketTypeId().equals(order.getString("ticketTypeId"))) {
          continue;
        }
        order.getJsonArray("tickets").forEach(ticket -> {
          if (!tickets.add(((JsonObject) ticket).getString("id"))) {
            violations.add("ticket " + ((JsonObject) ticket).getString("id") + " is in two orders");
          }
        });
      }
    }
    if (tickets.size() != CAPACITY) {
      violations.add("the buyers' orders hold " + tickets.size() + " tickets, not the capacity of " + CAPACITY);
    }
  }

  private static List<BoxofficeApi.Account> buyers(List<Made> holds) {
    Set<String> seen = new HashSet<>();
    List<BoxofficeApi.Account> buyers = new ArrayList<>();
    for (Made hold : holds) {
      if (hold.paid() && seen.add(hold.email())) {
        buyers.add(new BoxofficeApi.Account(hold.email(), hold.token()));
      }
    }
    return buyers;
  }

  private static void sleep() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
