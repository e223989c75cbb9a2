package dev.boxoffice.loadtest;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;

/**
 * Every purchase (or hold) answer of a run, counted as it arrives, and the check of the run's outcome through the API
 * afterwards: nothing oversold, sold (or held) equal to what was acknowledged, no order or hold over the per-order
 * maximum, no ticket twice, every acknowledged order or hold there and idempotent, no answer but 201, 409 sold_out or
 * 429.
 */
final class SaleLedger {

  /** What a sale's rush makes: orders of free tickets, or holds of priced ones (paid later, or released). */
  enum Kind {
    ORDERS("purchases", "sold", "purchase"), HOLDS("holds", "held", "hold");

    private final String path;
    private final String counter;
    private final String request;

    Kind(String path, String counter, String request) {
      this.path = path;
      this.counter = counter;
      this.request = request;
    }

    /** The route under the ticket type. */
    String path() {
      return path;
    }

    /** The summary's count of the tickets it takes. */
    String counter() {
      return counter;
    }

    /** The name of its request in Gatling's report. */
    String request() {
      return request;
    }

    /** {@code -Dboxoffice.sale=holds|purchases}; holds by default, as a priced sale runs now. */
    static Kind ofRun() {
      return "purchases".equals(System.getProperty("boxoffice.sale", "holds")) ? ORDERS : HOLDS;
    }
  }

  private static final int REPLAYED_PURCHASES = 100;
  /**
   * Replays go only to buyers whose purchases of the last minute, replays included, stay this far under the rate
   * limit (60 a minute, counted in windows of a minute): a replay counts against it like any purchase, and a 429
   * would say nothing about idempotency.
   */
  private static final int REPLAY_BUDGET = 55;
  private static final long RATE_LIMIT_WINDOW_NANOS = Duration.ofMinutes(1).toNanos();

  /** An acknowledged purchase: the buyer was answered 201 with this order. */
  record Placed(String email, String token, String idempotencyKey, int quantity, String orderId) {
  }

  private final ConcurrentLinkedQueue<Placed> placed = new ConcurrentLinkedQueue<>();
  private final AtomicLong placedTickets = new AtomicLong();
  private final AtomicLong soldOut = new AtomicLong();
  private final AtomicLong rateLimited = new AtomicLong();
  private final AtomicLong unexpected = new AtomicLong();
  private final AtomicLong firstSentNanos = new AtomicLong();
  private final AtomicLong lastPlacedNanos = new AtomicLong();
  private final AtomicLong lastAnsweredNanos = new AtomicLong();
  /** When each buyer tried to buy (System.nanoTime), to keep replays under the rate limit. */
  private final Map<String, ConcurrentLinkedQueue<Long>> attemptsByBuyer = new ConcurrentHashMap<>();
  /** Each answered purchase as {sent (System.nanoTime), answered after (ns)}, as the buyer saw it. */
  private final ConcurrentLinkedQueue<long[]> timings = new ConcurrentLinkedQueue<>();

  private final Kind kind;

  SaleLedger(Kind kind) {
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }

  /**
   * One purchase attempt of 1 to {@code maxQuantity} tickets with a fresh Idempotency-Key by the session's buyer
   * ({@code email}, {@code token}); sets {@code done} once the buyer should stop (sold out, rate limited, failed).
   */
  ChainBuilder purchase(String ticketTypeId, int maxQuantity) {
    return exec(session -> {
      long sent = System.nanoTime();
      firstSentNanos.compareAndSet(0, sent);
      return session.set("sentAt", sent).set("key", UUID.randomUUID().toString())
          .set("quantity", ThreadLocalRandom.current().nextInt(1, maxQuantity + 1));
    })
        .exec(http(kind.request()).post("/api/ticket-types/" + ticketTypeId + "/" + kind.path())
            .header("Authorization", "Bearer #{token}")
            .header("Idempotency-Key", "#{key}")
            .body(StringBody("{\"quantity\":#{quantity}}")).asJson()
            .check(status().in(201, 409, 429).saveAs("status"))
            // Text checks: the order's id leads its JSON, the error's code leads its body (see BrowseSimulation).
            .checkIf((response, session) -> response.status().code() == 201)
            .then(regex("^\\{\"id\":\"([0-9a-f-]{36})\"").saveAs("orderId"))
            .checkIf((response, session) -> response.status().code() == 409)
            .then(substring("{\"code\":\"sold_out\"").exists()))
        .exec(this::record);
  }

  private Session record(Session session) {
    long answered = System.nanoTime();
    lastAnsweredNanos.accumulateAndGet(answered, Math::max);
    timings.add(new long[] {session.getLong("sentAt"), answered - session.getLong("sentAt")});
    attemptsByBuyer.computeIfAbsent(session.getString("email"), email -> new ConcurrentLinkedQueue<>()).add(answered);
    boolean done = true;
    if (!session.contains("status")) {
      unexpected.incrementAndGet();
    } else {
      switch (session.getInt("status")) {
        case 201 -> {
          int quantity = session.getInt("quantity");
          placed.add(new Placed(session.getString("email"), session.getString("token"), session.getString("key"),
              quantity, session.getString("orderId")));
          placedTickets.addAndGet(quantity);
          lastPlacedNanos.accumulateAndGet(System.nanoTime(), Math::max);
          done = false;
        }
        case 409 -> soldOut.incrementAndGet();
        case 429 -> rateLimited.incrementAndGet();
        default -> unexpected.incrementAndGet();
      }
    }
    return session.remove("status").remove("orderId").set("done", done);
  }

  /** A purchase made outside the simulated load (a setup step) that the outcome must account for. */
  void acknowledge(Placed purchase) {
    attemptsByBuyer.computeIfAbsent(purchase.email(), email -> new ConcurrentLinkedQueue<>()).add(System.nanoTime());
    placed.add(purchase);
    placedTickets.addAndGet(purchase.quantity());
  }

  /**
   * The {@code percentile} (0-100) of the answer times, in ms, of the purchases sent while {@code sentWhen} held of
   * their sending time (System.nanoTime); empty when none was.
   */
  OptionalDouble answerMillis(double percentile, LongPredicate sentWhen) {
    long[] sorted = timings.stream().filter(timing -> sentWhen.test(timing[0])).mapToLong(timing -> timing[1])
        .sorted().toArray();
    if (sorted.length == 0) {
      return OptionalDouble.empty();
    }
    int rank = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
    return OptionalDouble.of(sorted[Math.max(0, rank)] / 1e6);
  }

  long answered(LongPredicate sentWhen) {
    return timings.stream().filter(timing -> sentWhen.test(timing[0])).count();
  }

  long placedOrders() {
    return placed.size();
  }

  long placedTickets() {
    return placedTickets.get();
  }

  long soldOut() {
    return soldOut.get();
  }

  long rateLimited() {
    return rateLimited.get();
  }

  /** Seconds from the first purchase sent to the last one acknowledged; 0 when nothing was bought. */
  double sellingSeconds() {
    long first = firstSentNanos.get();
    long last = lastPlacedNanos.get();
    return first == 0 || last <= first ? 0 : (last - first) / 1e9;
  }

  /** Answers of every kind (sales, sold out, rate limited) per second, from first sent to last answered. */
  double answersPerSecond() {
    return RunResults.perSecond(placedOrders() + soldOut() + rateLimited(), firstSentNanos.get(),
        lastAnsweredNanos.get());
  }

  double purchasesPerSecond() {
    double seconds = sellingSeconds();
    return seconds == 0 ? 0 : placedOrders() / seconds;
  }

  /**
   * Reads the outcome back through the API and lists what is wrong with it (empty when all holds).
   *
   * @param buyers everyone who bought in the run; their orders of the sale must be exactly the acknowledged ones
   * @param expectSoldOut whether the run must have sold the whole capacity
   */
  List<String> verify(BoxofficeApi api, BoxofficeApi.Account organizer, BoxofficeApi.Sale sale,
                      List<BoxofficeApi.Account> buyers, boolean expectSoldOut) {
    List<String> violations = new ArrayList<>();
    if (unexpected.get() > 0) {
      violations.add(unexpected.get() + " purchase answers were neither 201, 409 sold_out nor 429");
    }
    JsonObject summary = api.summaryOf(organizer, sale);
    int sold = summary.getInteger(kind.counter());
    if (summary.getInteger("sold") + summary.getInteger("held") > sale.capacity()) {
      violations.add("oversold: " + sold + " sold of a capacity of " + sale.capacity());
    }
    if (expectSoldOut && sold != sale.capacity()) {
      violations.add("not sold out: " + sold + " sold of a capacity of " + sale.capacity());
    }
    if (sold != placedTickets()) {
      violations.add("the summary says " + sold + " sold but " + placedTickets() + " tickets were acknowledged");
    }
    if (kind == Kind.ORDERS) {
      checkOrders(api, sale, buyers, sold, violations);
    } else {
      checkHolds(api, sale, violations);
    }
    checkReplays(api, sale, violations);
    int soldAfterReplays = api.summaryOf(organizer, sale).getInteger(kind.counter());
    if (soldAfterReplays != sold) {
      violations.add("replayed purchases sold " + (soldAfterReplays - sold) + " more tickets");
    }
    return violations;
  }

  private void checkOrders(BoxofficeApi api, BoxofficeApi.Sale sale, List<BoxofficeApi.Account> buyers, int sold,
                           List<String> violations) {
    List<JsonObject> orders = new ArrayList<>();
    try (ExecutorService readers = Executors.newFixedThreadPool(8)) {
      List<Future<List<JsonObject>>> reads = buyers.stream()
          .map(buyer -> readers.submit(() -> api.ordersOf(buyer))).toList();
      for (Future<List<JsonObject>> read : reads) {
        read.get().stream().filter(order -> sale.ticketTypeId().equals(order.getString("ticketTypeId")))
            .forEach(orders::add);
      }
    } catch (Exception e) {
      violations.add("could not read the buyers' orders: " + e);
      return;
    }
    Set<String> ticketIds = new HashSet<>();
    Set<String> orderIds = new HashSet<>();
    long tickets = 0;
    for (JsonObject order : orders) {
      orderIds.add(order.getString("id"));
      int quantity = order.getInteger("quantity");
      JsonArray orderTickets = order.getJsonArray("tickets");
      if (quantity > sale.maxPerOrder()) {
        violations.add("order " + order.getString("id") + " holds " + quantity + " tickets, over the maximum of "
            + sale.maxPerOrder());
      }
      if (orderTickets.size() != quantity) {
        violations.add("order " + order.getString("id") + " of " + quantity + " has " + orderTickets.size()
            + " tickets");
      }
      for (int i = 0; i < orderTickets.size(); i++) {
        if (!ticketIds.add(orderTickets.getJsonObject(i).getString("id"))) {
          violations.add("ticket " + orderTickets.getJsonObject(i).getString("id") + " is issued twice");
        }
      }
      tickets += orderTickets.size();
    }
    if (tickets != sold) {
      violations.add("the buyers hold " + tickets + " tickets but the summary says " + sold + " sold");
    }
    if (orders.size() != placed.size()) {
      violations.add(placed.size() + " purchases were acknowledged but the buyers hold " + orders.size() + " orders");
    }
    placed.stream().filter(ack -> !orderIds.contains(ack.orderId())).findAny().ifPresent(lost ->
        violations.add("acknowledged order " + lost.orderId() + " of " + lost.email() + " is missing"));
  }

  /** Every acknowledged hold is there, the buyer's, active and of its quantity; no hold twice. */
  private void checkHolds(BoxofficeApi api, BoxofficeApi.Sale sale, List<String> violations) {
    Set<String> holdIds = new HashSet<>();
    try (ExecutorService readers = Executors.newFixedThreadPool(8)) {
      List<Future<JsonObject>> reads = placed.stream()
          .map(ack -> readers.submit(() -> api.holdOf(new BoxofficeApi.Account(ack.email(), ack.token()),
              ack.orderId()))).toList();
      int i = 0;
      for (Placed ack : placed) {
        JsonObject hold = reads.get(i++).get();
        if (!holdIds.add(hold.getString("id"))) {
          violations.add("hold " + hold.getString("id") + " was acknowledged twice");
        }
        if (hold.getInteger("quantity") != ack.quantity() || hold.getInteger("quantity") > sale.maxPerOrder()
            || !sale.ticketTypeId().equals(hold.getString("ticketTypeId"))) {
          violations.add("hold " + hold.getString("id") + " is not what " + ack.email() + " asked for: " + hold);
        }
      }
    } catch (Exception e) {
      violations.add("could not read the acknowledged holds: " + e);
    }
  }

  /** The same purchase sent again must answer the same order and sell nothing more. */
  private void checkReplays(BoxofficeApi api, BoxofficeApi.Sale sale, List<String> violations) {
    Map<String, Integer> replaysByBuyer = new HashMap<>();
    int replayed = 0;
    for (Placed ack : placed) {
      long windowStart = System.nanoTime() - RATE_LIMIT_WINDOW_NANOS;
      long attempts = attemptsByBuyer.getOrDefault(ack.email(), new ConcurrentLinkedQueue<>()).stream()
          .filter(attempt -> attempt > windowStart).count();
      if (replayed == REPLAYED_PURCHASES || attempts + replaysByBuyer.getOrDefault(ack.email(), 0) >= REPLAY_BUDGET) {
        continue;
      }
      replaysByBuyer.merge(ack.email(), 1, Integer::sum);
      replayed++;
      HttpResponse<String> again = api.purchase(new BoxofficeApi.Account(ack.email(), ack.token()), sale,
          ack.idempotencyKey(), ack.quantity());
      if (again.statusCode() != 201 || !ack.orderId().equals(new JsonObject(again.body()).getString("id"))
          || !"true".equals(again.headers().firstValue("Idempotent-Replayed").orElse(null))) {
        violations.add("replaying the purchase of order " + ack.orderId() + " answered " + again.statusCode()
            + " " + again.body());
      }
    }
    if (replayed == 0 && !placed.isEmpty()) {
      violations.add("no acknowledged purchase could be replayed: every buyer used up the rate limit");
    }
  }
}
