package dev.boxoffice.loadtest;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CoreDsl;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An on-sale behind a waiting room: {@code buyers} (default 50,000) arrive within {@code arrivalMs} (10 s) for
 * {@code capacity} free tickets (5,000), at most {@value #LIMIT} per buyer; the room opens halfway through the
 * arrivals and lets {@code admitPerMinute} in. Each buyer queues, polls as told (at most every {@code maxPollMs}),
 * and once admitted buys 1 to 4 tickets, then tries one more (which the per-buyer limit must refuse once they hold 4);
 * told while waiting that the sale is sold out (every ticket sold or held), a buyer leaves;
 * a buyer whose queue request fails stops there (counted as a failed request) rather than polling again at once.
 * A visit a backend sheds (503 {@code waiting_room_busy}) is retried after its Retry-After, as the queue page does,
 * and counted; a {@code waiting_room_paused} (the room lost its Redis) under load is a violation.
 * Buyers share one connection pool, which grows to the number of requests in flight: Gatling's
 * {@code maxConnectionsPerHost} caps connections per virtual user, not the shared pool, so on a slow server the
 * sockets of both sides reach tens of thousands (run-full.sh raises the open-file limit to the hard limit).
 * Afterwards: no buyer over the limit, nothing oversold, the pre-queue uncorrelated with arrival (Spearman's rank
 * correlation: the places of who joined before the opening, and the order in which the pre-queue heard their turn
 * had come while tickets were left; the places of everyone who came before the opening and the order of everyone let
 * in reported too) and every later arrival placed behind
 * everyone whose join was answered before theirs was sent (FIFO). The admitted buyers' purchase p99 is the Gatling
 * assertion.
 */
public class WaitingRoomSimulation extends Simulation {

  private static final int LIMIT = 4;
  private static final int BUYERS = LoadShape.integer("buyers", 50_000, 150);
  private static final int CAPACITY = LoadShape.integer("capacity", 5_000, 150);
  private static final int ARRIVAL_MS = LoadShape.integer("arrivalMs", 10_000, 4_000);
  private static final int ADMIT_PER_MINUTE = LoadShape.integer("admitPerMinute", 60_000, 6_000);
  private static final int MAX_POLL_MS = LoadShape.integer("maxPollMs", 30_000, 1_000);
  /**
   * A pause in the arrivals around the opening (none in the full profile): the smoke run's few buyers on a busy CI
   * machine would otherwise all be answered after the opening, leaving no pre-queue to measure.
   */
  private static final int GAP_MS = LoadShape.integer("gapMs", 0, 4_000);

  /**
   * One buyer's join: when it was sent and answered (nanos), and the place the line gave them (or, for the admission
   * order, when they heard their turn had come: what they are ranked by).
   */
  private record Joined(long sentNanos, long answeredNanos, long place) {

    Joined at(long finalPlace) {
      return new Joined(sentNanos, answeredNanos, finalPlace);
    }
  }

  private final BoxofficeApi api = new BoxofficeApi(LoadShape.baseUrl());
  private final String runTag = "waitingroom" + System.currentTimeMillis();
  private final BoxofficeApi.Account organizer = api.organizer();
  private final BoxofficeApi.Sale sale = api.openSale(organizer, "Queued on-sale " + runTag, CAPACITY, LIMIT,
      SaleLedger.Kind.ORDERS);
  private final List<BoxofficeApi.Account> buyers = api.loginBuyers(runTag, BUYERS);
  // Set in before(), just before the arrivals start: the room opens halfway through them.
  private volatile long opensAtNanos;
  private final Map<String, Joined> joins = new ConcurrentHashMap<>();
  // A pre-queue place is only final once the room opens (until then it counts only who came before): the place of
  // each buyer's first visit sent after the opening.
  private final Map<String, Long> placesAfterOpening = new ConcurrentHashMap<>();
  /** When each buyer first heard their turn had come (nanos). */
  private final Map<String, Long> admittedAt = new ConcurrentHashMap<>();
  private final Map<String, Integer> bought = new ConcurrentHashMap<>();
  private final AtomicLong soldOut = new AtomicLong();
  /** When the run first heard the sale was sold out (nanos): a purchase answered sold_out or a queue answer said so. */
  private final AtomicLong soldOutHeardAt = new AtomicLong(Long.MAX_VALUE);
  private final AtomicLong leftAtSoldOut = new AtomicLong();
  private final AtomicLong refusedOverLimit = new AtomicLong();
  private final AtomicLong shedVisits = new AtomicLong();
  private final AtomicLong pausedAnswers = new AtomicLong();
  private final AtomicLong pausedStates = new AtomicLong();
  private final AtomicLong shedBeforeOpening = new AtomicLong();
  /** Each purchase answered: when it was sent and how long its answer took (nanos), for the timeline. */
  private final Queue<long[]> purchaseTimes = new ConcurrentLinkedQueue<>();
  /** Each queue visit answered: when it was sent and how long its answer took (nanos), and whether it was shed. */
  private final Queue<long[]> visitTimes = new ConcurrentLinkedQueue<>();

  {
    api.limitPerBuyer(organizer, sale.eventId(), LIMIT);
  }

  @Override
  public void before() {
    int opensInMs = ARRIVAL_MS / 2 + GAP_MS / 2;
    opensAtNanos = System.nanoTime() + Duration.ofMillis(opensInMs).toNanos();
    api.openWaitingRoom(organizer, sale.eventId(), Instant.now().plusMillis(opensInMs), ADMIT_PER_MINUTE);
  }

  // A buyer's arrival is their first visit: a shed one hands back its arrival ticket on the next, as the queue page
  // does, and the backend then places them as of that first visit.
  private final ChainBuilder visit = CoreDsl.exec(session -> session.set("sent", System.nanoTime())
          .set("firstSent", session.contains("firstSent") ? session.getLong("firstSent") : System.nanoTime())
          .remove("queueCode").remove("retryAfter").remove("soldOut"))
      .exec(http("queue").post("/api/events/" + sale.eventId() + "/queue")
          .header("Authorization", "Bearer #{token}")
          .header("Boxoffice-Arrival", session -> session.contains("arrival") ? session.getString("arrival") : "")
          .check(status().in(200, 503).saveAs("queueStatus"))
          .check(jsonPath("$.code").optional().saveAs("queueCode"))
          .check(header("Retry-After").optional().saveAs("retryAfter"))
          .check(header("Boxoffice-Arrival").optional().saveAs("arrival"))
          .check(jsonPath("$.state").optional().saveAs("state"))
          .check(jsonPath("$.pollAfterMillis").ofLong().optional().saveAs("pollAfter"))
          .check(jsonPath("$.place").ofLong().optional().saveAs("place"))
          .check(jsonPath("$.admission").optional().saveAs("admission"))
          .check(jsonPath("$.soldOut").ofBoolean().optional().saveAs("soldOut")))
      .exec(this::recordJoin);

  private final ChainBuilder buy = CoreDsl.exec(session -> session.set("key", UUID.randomUUID().toString())
          .set("quantity", 1 + ThreadLocalRandom.current().nextInt(LIMIT)).set("sent", System.nanoTime()))
      .exec(http("purchase").post("/api/ticket-types/" + sale.ticketTypeId() + "/purchases")
          .header("Authorization", "Bearer #{token}")
          .header("Idempotency-Key", "#{key}")
          .header("Boxoffice-Admission", "#{admission}")
          .body(CoreDsl.StringBody("{\"quantity\":#{quantity}}")).asJson()
          .check(status().in(201, 409).saveAs("status"))
          .check(jsonPath("$.code").optional().saveAs("code")))
      .exec(this::recordPurchase)
      .exec(session -> session.set("key", UUID.randomUUID().toString()).set("quantity", 1)
          .set("sent", System.nanoTime()))
      .exec(http("purchase over the limit").post("/api/ticket-types/" + sale.ticketTypeId() + "/purchases")
          .header("Authorization", "Bearer #{token}")
          .header("Idempotency-Key", "#{key}")
          .header("Boxoffice-Admission", "#{admission}")
          .body(CoreDsl.StringBody("{\"quantity\":1}")).asJson()
          .check(status().in(201, 409).saveAs("status"))
          .check(jsonPath("$.code").optional().saveAs("code")))
      .exec(this::recordPurchase);

  private final ScenarioBuilder onSale = scenario("WaitingRoom")
      .feed(LoadShape.accounts(buyers))
      .exec(visit)
      .exitHereIfFailed()
      .asLongAs(session -> !"admitted".equals(session.getString("state")) && !leavesAtSoldOut(session)).on(
          CoreDsl.pause(session -> Duration.ofMillis(session.getLong("nextVisitMs")))
              .exec(visit)
              .exitHereIfFailed())
      .doIf(session -> "admitted".equals(session.getString("state"))).then(buy);

  {
    setUp(onSale.injectOpen(
            rampUsers(BUYERS / 2).during(Duration.ofMillis(ARRIVAL_MS / 2)),
            nothingFor(Duration.ofMillis(GAP_MS)),
            rampUsers(BUYERS - BUYERS / 2).during(Duration.ofMillis(ARRIVAL_MS - ARRIVAL_MS / 2))))
        .protocols(LoadShape.httpProtocol(LoadShape.baseUrl()).shareConnections())
        .assertions(
            global().failedRequests().count().is(0L),
            details("purchase").responseTime().percentile(99.0).lt(LoadShape.p99LimitMs()));
  }

  private Session recordJoin(Session session) {
    String email = session.getString("email");
    long sent = session.getLong("sent");
    visitTimes.add(new long[] {sent, System.nanoTime() - sent, session.getInt("queueStatus") == 503 ? 1 : 0});
    if (session.getInt("queueStatus") == 503) {
      if (!"waiting_room_busy".equals(session.getString("queueCode"))) {
        pausedAnswers.incrementAndGet();
        return session.markAsFailed();
      }
      shedVisits.incrementAndGet();
      if (session.getLong("sent") < opensAtNanos) {
        shedBeforeOpening.incrementAndGet();
      }
      // As the queue page does: back after the Retry-After the backend drew, not sooner.
      return session.set("nextVisitMs", Integer.parseInt(session.getString("retryAfter")) * 1000L);
    }
    if ("paused".equals(session.getString("state"))) {
      pausedStates.incrementAndGet();
    }
    if (session.contains("soldOut") && session.getBoolean("soldOut")) {
      soldOutHeardAt.accumulateAndGet(System.nanoTime(), Math::min);
    }
    session = session.set("nextVisitMs", Math.min(MAX_POLL_MS, session.getLong("pollAfter")));
    if ("admitted".equals(session.getString("state"))) {
      admittedAt.putIfAbsent(email, System.nanoTime());
    }
    if (session.contains("place")) {
      joins.putIfAbsent(email, new Joined(session.getLong("firstSent"), System.nanoTime(), session.getLong("place")));
      if (session.getLong("sent") > opensAtNanos + Duration.ofMillis(100).toNanos()) {
        placesAfterOpening.putIfAbsent(email, session.getLong("place"));
      }
    }
    return session;
  }

  /** Told, while still waiting, that everything is sold or held: as most people would, the buyer leaves. */
  private boolean leavesAtSoldOut(Session session) {
    if (session.contains("soldOut") && session.getBoolean("soldOut")) {
      leftAtSoldOut.incrementAndGet();
      return true;
    }
    return false;
  }

  private Session recordPurchase(Session session) {
    String email = session.getString("email");
    long sent = session.getLong("sent");
    purchaseTimes.add(new long[] {sent, System.nanoTime() - sent});
    if (session.getInt("status") == 201) {
      bought.merge(email, session.getInt("quantity"), Integer::sum);
    } else if ("sold_out".equals(session.getString("code"))) {
      soldOut.incrementAndGet();
      soldOutHeardAt.accumulateAndGet(System.nanoTime(), Math::min);
    } else if ("buyer_limit_reached".equals(session.getString("code"))) {
      refusedOverLimit.incrementAndGet();
    }
    return session;
  }

  @Override
  public void after() {
    List<String> violations = new ArrayList<>();
    bought.forEach((email, tickets) -> {
      if (tickets > LIMIT) {
        violations.add(email + " bought " + tickets + " tickets, over the limit of " + LIMIT);
      }
    });
    int sold = bought.values().stream().mapToInt(Integer::intValue).sum();
    int soldAsSummed = api.summaryOf(organizer, sale).getInteger("sold");
    if (sold != soldAsSummed) {
      violations.add("acknowledged " + sold + " tickets, the event's summary says " + soldAsSummed);
    }
    if (sold > CAPACITY) {
      violations.add("sold " + sold + " of " + CAPACITY);
    }
    long margin = Duration.ofMillis(100).toNanos();
    // The pre-queue: who first came before the opening (answered before it, or shed and back with their ticket).
    List<Joined> early = joins.entrySet().stream()
        .filter(joined -> joined.getValue().sentNanos() < opensAtNanos - margin)
        .filter(joined -> placesAfterOpening.containsKey(joined.getKey()))
        .map(joined -> joined.getValue().at(placesAfterOpening.get(joined.getKey())))
        .sorted(Comparator.comparingLong(Joined::sentNanos)).toList();
    List<Joined> late = joins.values().stream().filter(joined -> joined.sentNanos() > opensAtNanos + margin)
        .toList();
    double spearman = spearman(early);
    // Who joined before the opening: their places are the draw's order. One shed past the opening joins after it and,
    // when their draw's turn has passed, is let in at once: their place then counts who had come back by then, which
    // is no draw (reported with everyone above, judged only here).
    List<Joined> drawn = joins.entrySet().stream()
        .filter(joined -> joined.getValue().sentNanos() < opensAtNanos - margin)
        .filter(joined -> joined.getValue().answeredNanos() < opensAtNanos)
        .filter(joined -> placesAfterOpening.containsKey(joined.getKey()))
        .map(joined -> joined.getValue().at(placesAfterOpening.get(joined.getKey())))
        .sorted(Comparator.comparingLong(Joined::sentNanos)).toList();
    double drawSpearman = spearman(drawn);
    // The pre-queue as its buyers lived it, the "admission order": the order in which those let in heard
    // their turn had come, against arrival. Judged over those let in while tickets were left: once the sale is sold
    // out, who waits is told so and most leave, and who is let in then (their next visit fell on their turn rather
    // than before it, which depends on their polls' timing) gets nothing by it.
    List<Joined> earlyAdmitted = joins.entrySet().stream()
        .filter(joined -> joined.getValue().sentNanos() < opensAtNanos - margin)
        .filter(joined -> admittedAt.containsKey(joined.getKey()))
        .map(joined -> joined.getValue().at(admittedAt.get(joined.getKey())))
        .sorted(Comparator.comparingLong(Joined::sentNanos)).toList();
    List<Joined> admittedWhileTicketsLeft = earlyAdmitted.stream()
        .filter(joined -> joined.place() < soldOutHeardAt.get()).toList();
    double admissionSpearman = spearman(admittedWhileTicketsLeft);
    long fifoViolations = fifoViolations(late);
    if (Math.abs(drawSpearman) > 0.1 && drawn.size() >= 100) {
      violations.add("the places of who joined before the opening follow arrival: Spearman " + drawSpearman);
    }
    if (Math.abs(admissionSpearman) > 0.1 && admittedWhileTicketsLeft.size() >= 100) {
      violations.add("the pre-queue was let in in an order that follows arrival: Spearman " + admissionSpearman);
    }
    if (pausedAnswers.get() > 0) {
      violations.add(pausedAnswers.get() + " visits were answered 503 without waiting_room_busy: the room paused"
          + " (or failed) under load instead of shedding");
    }
    if (fifoViolations > 0) {
      violations.add(fifoViolations + " later arrivals were placed ahead of someone who joined before them");
    }
    JsonObject results = new JsonObject();
    if (Boolean.getBoolean("boxoffice.preQueueDetail")) {
      // Each of the pre-queue by arrival: place after the opening, when they heard their turn (ms from the opening,
      // -1: never), when their join was answered (ms from the opening).
      JsonArray detail = new JsonArray();
      joins.entrySet().stream()
          .filter(joined -> joined.getValue().sentNanos() < opensAtNanos - margin)
          .sorted(Comparator.comparingLong(joined -> joined.getValue().sentNanos()))
          .forEach(joined -> detail.add(new JsonArray()
              .add(placesAfterOpening.getOrDefault(joined.getKey(), -1L))
              .add(admittedAt.containsKey(joined.getKey())
                  ? (admittedAt.get(joined.getKey()) - opensAtNanos) / 1_000_000 : -1)
              .add((joined.getValue().answeredNanos() - opensAtNanos) / 1_000_000)));
      results.put("preQueueDetail", detail);
    }
    RunResults.conclude("WaitingRoom", results
            .put("buyers", BUYERS)
            .put("capacity", CAPACITY)
            .put("limitPerBuyer", LIMIT)
            .put("admitPerMinute", ADMIT_PER_MINUTE)
            .put("arrivalMs", ARRIVAL_MS)
            .put("joined", joins.size())
            .put("shedVisits", shedVisits.get())
            .put("shedBeforeOpening", shedBeforeOpening.get())
            .put("pausedAnswers", pausedAnswers.get())
            .put("pausedStates", pausedStates.get())
            .put("firstJoinMsAfterOpening", joins.values().stream().mapToLong(Joined::answeredNanos).min()
                .stream().map(first -> (first - opensAtNanos) / 1_000_000).findFirst().orElse(0))
            .put("preQueue", early.size())
            .put("afterOpening", late.size())
            .put("buyersWhoBought", bought.size())
            .put("ticketsSold", sold)
            .put("soldOutAnswers", soldOut.get())
            .put("leftAtSoldOut", leftAtSoldOut.get())
            .put("overLimitRefusals", refusedOverLimit.get())
            .put("maxTicketsOfOneBuyer", bought.values().stream().mapToInt(Integer::intValue).max().orElse(0))
            .put("preQueueSpearman", spearman)
            .put("joinedBeforeOpening", drawn.size())
            .put("joinedBeforeOpeningSpearman", drawSpearman)
            .put("preQueueAdmitted", earlyAdmitted.size())
            .put("preQueueAdmittedSpearman", spearman(earlyAdmitted))
            .put("soldOutMsAfterOpening", soldOutHeardAt.get() == Long.MAX_VALUE ? -1
                : (soldOutHeardAt.get() - opensAtNanos) / 1_000_000)
            .put("preQueueAdmittedWhileTicketsLeft", admittedWhileTicketsLeft.size())
            .put("preQueueAdmissionSpearman", admissionSpearman)
            .put("fifoViolations", fifoViolations)
            .put("admissionsBySecond", admissionsBySecond())
            .put("purchaseTimeline", timeline(purchaseTimes))
            .put("visitTimeline", timeline(visitTimes)),
        violations);
  }

  /**
   * Requests by the second (from the opening) they were sent in: how many, their answer times' p50, p99 and maximum
   * (ms), and how many were shed: where in the run a tail comes from.
   */
  private JsonArray timeline(Queue<long[]> times) {
    Map<Long, List<long[]>> bySecond = new TreeMap<>();
    times.forEach(time -> bySecond.computeIfAbsent(Math.floorDiv(time[0] - opensAtNanos, 1_000_000_000L),
        second -> new ArrayList<>()).add(time));
    JsonArray timeline = new JsonArray();
    bySecond.forEach((second, sent) -> {
      long[] millis = sent.stream().mapToLong(time -> time[1] / 1_000_000).sorted().toArray();
      timeline.add(new JsonObject().put("second", second).put("count", millis.length)
          .put("p50", millis[(millis.length - 1) / 2]).put("p99", millis[(int) Math.ceil(millis.length * 0.99) - 1])
          .put("max", millis[millis.length - 1])
          .put("shed", sent.stream().filter(time -> time.length > 2 && time[2] == 1).count()));
    });
    return timeline;
  }

  /**
   * How many buyers heard their turn had come in each second from the opening: the line's rate as the buyers saw it
   * (a turn is heard of at the buyer's next poll, up to 2.2 s after it came).
   */
  private JsonArray admissionsBySecond() {
    Map<Long, Integer> bySecond = new TreeMap<>();
    admittedAt.values().forEach(at -> bySecond.merge(Math.floorDiv(at - opensAtNanos, 1_000_000_000L), 1,
        Integer::sum));
    JsonArray counts = new JsonArray();
    bySecond.forEach((second, count) -> counts.add(new JsonObject().put("second", second).put("count", count)));
    return counts;
  }

  /** Spearman's rank correlation of arrival order (the list's order) with place in line. */
  private static double spearman(List<Joined> byArrival) {
    int n = byArrival.size();
    if (n < 3) {
      return 0;
    }
    List<Integer> byPlace = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byPlace.add(i);
    }
    byPlace.sort(Comparator.comparingLong(i -> byArrival.get(i).place()));
    double sumSquares = 0;
    for (int placeRank = 0; placeRank < n; placeRank++) {
      double d = byPlace.get(placeRank) - placeRank;
      sumSquares += d * d;
    }
    return 1 - 6 * sumSquares / ((double) n * ((double) n * n - 1));
  }

  /**
   * Later arrivals B placed ahead of someone A whose join was answered before B's was sent: swept in order of
   * sending, with the highest place among the joins already answered.
   */
  private static long fifoViolations(List<Joined> late) {
    List<Joined> bySent = late.stream().sorted(Comparator.comparingLong(Joined::sentNanos)).toList();
    List<Joined> byAnswered = late.stream().sorted(Comparator.comparingLong(Joined::answeredNanos)).toList();
    long violations = 0;
    long highestBefore = 0;
    int answered = 0;
    for (Joined joined : bySent) {
      while (answered < byAnswered.size() && byAnswered.get(answered).answeredNanos() < joined.sentNanos()) {
        highestBefore = Math.max(highestBefore, byAnswered.get(answered).place());
        answered++;
      }
      if (joined.place() < highestBefore) {
        violations++;
      }
    }
    return violations;
  }
}
