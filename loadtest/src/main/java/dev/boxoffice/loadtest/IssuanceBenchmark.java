package dev.boxoffice.loadtest;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ticket issuance at the end of a rush, against a running {@code ./boxoffice up} (quotas and IAM on): a free sale of
 * {@code tickets} tickets bought in rushes of {@code rush} buyers (1 to 4 tickets each, a buyer per order, as the
 * issue's rush), then the time from the last purchase answered to the last ticket {@code ready} (read in PostgreSQL
 * every 200 ms), and the CPU the stack's processes spent (from {@code /proc}: the stack's JVM and its children,
 * PostgreSQL, Redis, the DynamoDB server) per issued ticket, over the issuance after the sale and over the sale and
 * issuance together; the tickets issued per second from the sale's start, and the issuance batches and executions
 * started (from PostgreSQL's {@code issuance_batches}). Writes {@code <resultsDir>/issuance-<tickets>.json}.
 *
 * <p>Settings ({@code -Dboxoffice.<name>}): {@code baseUrl}, {@code jdbcUrl} (the stack's PostgreSQL, from its
 * banner), {@code stackPid}, {@code tickets} (10,000), {@code rush} (2,000 buyers), {@code rushPauseMs} (2,000),
 * {@code buyers} (64 concurrent requests), {@code timeoutSeconds} (900), {@code resultsDir}.
 */
public final class IssuanceBenchmark {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final long CLOCK_TICKS_PER_SECOND = 100;

  private final String baseUrl;
  private final String jdbcUrl;
  private final long stackPid;
  private final int tickets;
  private final int rush;
  private final long rushPauseMs;
  private final int concurrency;
  private final Duration timeout;

  private IssuanceBenchmark() {
    baseUrl = System.getProperty("boxoffice.baseUrl", "http://127.0.0.1:8080");
    jdbcUrl = System.getProperty("boxoffice.jdbcUrl");
    stackPid = Long.getLong("boxoffice.stackPid", 0);
    tickets = Integer.getInteger("boxoffice.tickets", 10_000);
    rush = Integer.getInteger("boxoffice.rush", 2_000);
    rushPauseMs = Long.getLong("boxoffice.rushPauseMs", 2_000);
    concurrency = Integer.getInteger("boxoffice.buyers", 64);
    timeout = Duration.ofSeconds(Long.getLong("boxoffice.timeoutSeconds", 900));
  }

  public static void main(String[] args) throws Exception {
    JsonObject result = new IssuanceBenchmark().run();
    Path dir = Path.of(System.getProperty("boxoffice.resultsDir", "target/issuance"));
    Files.createDirectories(dir);
    Path file = dir.resolve("issuance-" + result.getInteger("tickets") + ".json");
    Files.writeString(file, result.encodePrettily());
    System.out.println(result.encodePrettily());
    if (!result.getBoolean("allReady")) {
      System.exit(1);
    }
  }

  private JsonObject run() throws Exception {
    String organizer = login(LocalBackend.ORGANIZER);
    String ticketTypeId = openSale(organizer);
    long cpuBefore = stackTicks();
    Instant saleStarted = Instant.now();
    AtomicLong lastAnswered = new AtomicLong();
    AtomicInteger orders = new AtomicInteger();
    AtomicInteger sold = new AtomicInteger();
    AtomicBoolean soldOut = new AtomicBoolean();
    try (ExecutorService buyers = Executors.newFixedThreadPool(concurrency)) {
      for (int rushIndex = 0; !soldOut.get(); rushIndex++) {
        List<Future<?>> purchases = new ArrayList<>();
        for (int buyer = 0; buyer < rush && !soldOut.get(); buyer++) {
          String email = "issuance-" + rushIndex + "-" + buyer + "-" + UUID.randomUUID().toString().substring(0, 6)
              + "@example.org";
          purchases.add(buyers.submit(() -> {
            buy(email, ticketTypeId, lastAnswered, orders, sold, soldOut);
            return null;
          }));
        }
        for (Future<?> purchase : purchases) {
          purchase.get();
        }
        if (!soldOut.get()) {
          Thread.sleep(rushPauseMs);
        }
      }
    }
    Instant saleAnswered = Instant.ofEpochMilli(lastAnswered.get());
    long cpuAtSaleEnd = stackTicks();
    Issued issued = awaitIssued(ticketTypeId, sold.get());
    long cpuAfter = stackTicks();
    double issuanceSeconds = Duration.between(saleAnswered, issued.at()).toMillis() / 1000.0;
    Executions executions = executionsSince(saleStarted);
    return new JsonObject()
        .put("tickets", tickets)
        .put("sold", sold.get())
        .put("orders", orders.get())
        .put("saleSeconds", Duration.between(saleStarted, saleAnswered).toMillis() / 1000.0)
        .put("readyAfterLastPurchaseSeconds", issuanceSeconds)
        .put("ready", issued.ready())
        .put("failed", issued.failed())
        .put("allReady", issued.ready() == sold.get())
        .put("ticketsIssuedPerSecond", Math.round(issued.ready()
            / (Duration.between(saleStarted, issued.at()).toMillis() / 1000.0)))
        .put("batches", executions.batches())
        .put("executionsStarted", executions.started())
        .put("peakExecutionStartsPerSecond", executions.peakPerSecond())
        .put("stackCpuSecondsAfterSale", (cpuAfter - cpuAtSaleEnd) / (double) CLOCK_TICKS_PER_SECOND)
        .put("stackCpuSecondsSaleAndIssuance", (cpuAfter - cpuBefore) / (double) CLOCK_TICKS_PER_SECOND)
        .put("stackCpuMsPerTicket", (cpuAfter - cpuBefore) * 1000.0 / CLOCK_TICKS_PER_SECOND / Math.max(1, sold.get()))
        .put("loadAverageAfter", Files.readString(Path.of("/proc/loadavg")).trim())
        .put("at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
  }

  private void buy(String email, String ticketTypeId, AtomicLong lastAnswered, AtomicInteger orders,
                   AtomicInteger sold, AtomicBoolean soldOut) throws IOException, InterruptedException {
    String token = login(email);
    int quantity = ThreadLocalRandom.current().nextInt(1, 5);
    HttpResponse<String> answer = send("POST", "/api/ticket-types/" + ticketTypeId + "/purchases", token,
        new JsonObject().put("quantity", quantity), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    lastAnswered.accumulateAndGet(System.currentTimeMillis(), Math::max);
    if (answer.statusCode() == 201) {
      orders.incrementAndGet();
      sold.addAndGet(quantity);
    } else if (answer.statusCode() == 409) {
      soldOut.set(true);
    } else {
      throw new IllegalStateException("purchase answered " + answer.statusCode() + ": " + answer.body());
    }
  }

  private record Issued(int ready, int failed, Instant at) {
  }

  /** Polls the tickets' QR status until none is pending, or the timeout. */
  private Issued awaitIssued(String ticketTypeId, int sold) throws SQLException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    try (Connection db = DriverManager.getConnection(jdbcUrl);
         PreparedStatement status = db.prepareStatement("SELECT count(*) FILTER (WHERE qr_status = 'ready'),"
             + " count(*) FILTER (WHERE qr_status = 'failed') FROM tickets WHERE ticket_type_id = ?::uuid")) {
      status.setString(1, ticketTypeId);
      while (true) {
        try (ResultSet row = status.executeQuery()) {
          row.next();
          Issued issued = new Issued(row.getInt(1), row.getInt(2), Instant.now());
          if (issued.ready() + issued.failed() >= sold || Instant.now().isAfter(deadline)) {
            return issued;
          }
        }
        Thread.sleep(200);
      }
    }
  }

  /**
   * The issuance batches formed since {@code since} (this run's: the sale is the stack's only one then), the
   * executions started for them (one per attempt), and the most batches formed within one second, which bounds the
   * StartExecution rate.
   */
  private record Executions(int batches, int started, int peakPerSecond) {
  }

  private Executions executionsSince(Instant since) throws SQLException {
    try (Connection db = DriverManager.getConnection(jdbcUrl);
         PreparedStatement query = db.prepareStatement("SELECT count(*), coalesce(sum(attempt), 0),"
             + " coalesce(max(in_second), 0) FROM (SELECT attempt, count(*) OVER (PARTITION BY"
             + " date_trunc('second', created_at)) AS in_second FROM issuance_batches WHERE created_at >= ?) b")) {
      query.setTimestamp(1, Timestamp.from(since));
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return new Executions(row.getInt(1), row.getInt(2), row.getInt(3));
      }
    }
  }

  private String openSale(String organizer) throws IOException, InterruptedException {
    Instant startsAt = Instant.now().plus(Duration.ofDays(7)).truncatedTo(ChronoUnit.SECONDS);
    String eventId = expect(send("POST", "/api/events", organizer, new JsonObject()
        .put("title", "Issuance benchmark " + tickets).put("description", "A rush, then its tickets")
        .put("category", "music").put("venue", "Arena").put("city", "Lyon").put("startsAt", startsAt.toString())
        .put("endsAt", startsAt.plus(Duration.ofHours(4)).toString()).put("timeZone", "Europe/Paris"),
        Map.of()), 201).getString("id");
    String ticketTypeId = expect(send("POST", "/api/events/" + eventId + "/ticket-types", organizer, new JsonObject()
        .put("name", "Floor").put("priceMinor", 0).put("currency", "EUR").put("capacity", tickets)
        .put("salesStart", Instant.now().minus(Duration.ofMinutes(1)).toString())
        .put("salesEnd", startsAt.toString()).put("maxPerOrder", 4), Map.of()), 201).getString("id");
    expect(send("POST", "/api/events/" + eventId + "/publish", organizer, null, Map.of()), 200);
    return ticketTypeId;
  }

  private String login(String email) throws IOException, InterruptedException {
    return expect(send("POST", "/api/dev/login", null, new JsonObject().put("email", email), Map.of()), 200)
        .getString("token");
  }

  private HttpResponse<String> send(String method, String path, String token, JsonObject body,
                                    Map<String, String> headers) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(60))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()))
        .header("Content-Type", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject expect(HttpResponse<String> answer, int status) {
    if (answer.statusCode() != status) {
      throw new IllegalStateException(answer.request().uri() + " answered " + answer.statusCode() + ": "
          + answer.body());
    }
    return new JsonObject(answer.body());
  }

  /** Clock ticks (user and system) used so far by the stack's process and every process below it. */
  private long stackTicks() throws IOException {
    if (stackPid == 0) {
      return 0;
    }
    Map<Long, List<Long>> children = new HashMap<>();
    Map<Long, Long> ticks = new HashMap<>();
    try (var processes = Files.list(Path.of("/proc"))) {
      for (Path dir : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String stat = Files.readString(dir.resolve("stat"));
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long pid = Long.parseLong(dir.getFileName().toString());
          children.computeIfAbsent(Long.parseLong(fields[1]), parent -> new ArrayList<>()).add(pid);
          ticks.put(pid, Long.parseLong(fields[11]) + Long.parseLong(fields[12]));
        } catch (IOException | RuntimeException gone) {
          // A process that ended meanwhile counts no more.
        }
      }
    }
    long total = 0;
    List<Long> pending = new ArrayList<>(List.of(stackPid));
    while (!pending.isEmpty()) {
      long pid = pending.removeLast();
      total += ticks.getOrDefault(pid, 0L);
      pending.addAll(children.getOrDefault(pid, List.of()));
    }
    return total;
  }
}
