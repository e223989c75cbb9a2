package dev.boxoffice.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Bucket;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Runs the packaged local stack exactly as `./boxoffice up` does ({@code java -jar target/local-stack.jar}, its
 * dependencies from {@code target/lib}), and kills it the ways a developer does.
 */
class LocalStackProcessIT {

  /**
   * A deadline against a start that hangs, not a speed check: the stack starts in seconds on a quiet machine and
   * took over two minutes on this 2-core one with several builds beside it.
   */
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);

  private static final String ORGANIZER = "organizer@boxoffice.test";

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  /** What the stacks started by the test printed, their banners included. */
  private final List<String> banner = new CopyOnWriteArrayList<>();
  private Path dataDir;
  private int httpPort;
  private Process stack;

  @BeforeEach
  void setUp() throws IOException {
    dataDir = Files.createTempDirectory("boxoffice-stack");
    httpPort = LoopbackPorts.free();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (stack != null && stack.isAlive()) {
      stack.destroy();
      stack.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("after a crash a second start works, and a stop leaves no postgres or redis process behind")
  void restartsAfterCrashAndStopsCleanly() throws Exception {
    stack = startStack();
    assertThat(readiness()).isEqualTo(200);
    long postgresPid = pidIn(dataDir.resolve("postgres/postmaster.pid"));
    long redisPid = pidIn(dataDir.resolve("redis/redis.pid"));

    stack.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertThat(running(postgresPid)).as("postgres outlives a crashed stack").isTrue();

    stack = startStack();
    assertThat(readiness()).isEqualTo(200);
    assertThat(exitsSoon(postgresPid)).as("the stale postgres was stopped").isTrue();
    assertThat(exitsSoon(redisPid)).as("the stale redis was stopped").isTrue();
    long secondPostgresPid = pidIn(dataDir.resolve("postgres/postmaster.pid"));
    long secondRedisPid = pidIn(dataDir.resolve("redis/redis.pid"));

    stack.destroy();
    assertThat(stack.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(exitsSoon(secondPostgresPid)).as("postgres stopped with the stack").isTrue();
    assertThat(exitsSoon(secondRedisPid)).as("redis stopped with the stack").isTrue();
  }

  @Test
  @DisplayName("kill -9 of the stack while a sale's tickets are issued, and a restart: every ticket becomes ready,"
      + " its QR code object stored, none left pending or failed")
  void issuanceSurvivesCrash() throws Exception {
    stack = startStack();
    StackApi api = new StackApi("http://127.0.0.1:" + httpPort);
    String ticketTypeId = api.ticketTypeOnSale(api.token(ORGANIZER), "Crash night", 400);
    Map<String, String> orderOfBuyer = new ConcurrentHashMap<>();
    Map<String, List<String>> ticketsOfBuyer = new ConcurrentHashMap<>();
    try (ExecutorService buyers = Executors.newFixedThreadPool(8)) {
      List<java.util.concurrent.Future<?>> purchases = new ArrayList<>();
      for (int index = 0; index < 80; index++) {
        String buyer = "crash-" + index + "@boxoffice.test";
        int quantity = 1 + index % 2;
        purchases.add(buyers.submit(() -> {
          JsonObject order = StackApi.body(api.purchase(api.token(buyer), ticketTypeId, UUID.randomUUID().toString(),
              quantity), 201);
          orderOfBuyer.put(buyer, order.getString("id"));
          ticketsOfBuyer.put(buyer, order.getJsonArray("tickets").stream()
              .map(ticket -> ((JsonObject) ticket).getString("id")).toList());
          return null;
        }));
      }
      for (java.util.concurrent.Future<?> purchase : purchases) {
        purchase.get();
      }
    }
    stack.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

    stack = startStack();
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    List<String> pending = List.copyOf(orderOfBuyer.keySet());
    while (!pending.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(2000);
      pending = pending.stream().filter(buyer -> !statuses(api, buyer, orderOfBuyer.get(buyer)).stream()
          .allMatch("ready"::equals)).toList();
    }
    assertThat(pending).as("buyers whose tickets are not all ready after the restart").isEmpty();
    try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(bannerValue("S3")))
        .region(Region.US_EAST_1).forcePathStyle(true).httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("boxoffice",
            "boxoffice-local-secret"))).build()) {
      String bucket = s3.listBuckets().buckets().stream().map(Bucket::name).filter(name -> name.contains("media"))
          .findFirst().orElseThrow();
      List<String> keys = s3.listObjectsV2Paginator(list -> list.bucket(bucket).prefix("tickets/")).contents()
          .stream().map(S3Object::key).toList();
      assertThat(ticketsOfBuyer.values().stream().flatMap(List::stream))
          .allSatisfy(ticketId -> assertThat(keys).contains("tickets/" + ticketId + ".png"));
    }
  }

  private static List<String> statuses(StackApi api, String buyer, String orderId) {
    try {
      return StackApi.body(api.send("GET", "/api/me/tickets?limit=100", api.token(buyer), null), 200)
          .getJsonArray("items").stream().map(JsonObject.class::cast)
          .filter(ticket -> orderId.equals(ticket.getString("orderId")))
          .map(ticket -> ticket.getString("qrStatus")).toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The address the last banner printed for {@code name}, e.g. "S3". */
  private String bannerValue(String name) {
    return banner.stream().map(String::trim).filter(line -> line.startsWith(name + " "))
        .map(line -> line.substring(name.length()).trim().split(" ")[0]).reduce((first, last) -> last).orElseThrow();
  }

  private Process startStack() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Path jar = Path.of("target/local-stack.jar").toAbsolutePath();
    assertThat(jar).as("the packaged stack (mvn package builds it before this test)").exists();
    ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
        .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("BOXOFFICE_"));
    env.put("BOXOFFICE_DATA_DIR", dataDir.toString());
    env.put("BOXOFFICE_HTTP_PORT", Integer.toString(httpPort));
    for (String port : TestStackEnvironment.LOCAL_SERVERS) {
      env.put("BOXOFFICE_LOCAL_" + port + "_PORT", "0");
    }
    env.put("BOXOFFICE_STATIC_DIR", Files.createDirectories(dataDir.resolve("static")).toString());
    env.put("BOXOFFICE_ORGANIZER_EMAILS", ORGANIZER);
    Process process = builder.start();
    CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> awaitBanner(process, banner));
    assertThat(ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the stack printed its banner").isTrue();
    return process;
  }

  /**
   * Echoes the stack's output until its banner line; the rest is echoed by a thread of its own until the process
   * ends. The reader is never closed here: closing it would wait for that thread, blocked in a read.
   */
  private static boolean awaitBanner(Process process, List<String> lines) {
    BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = output.readLine()) != null) {
        System.out.println("[stack] " + line);
        lines.add(line);
        if (line.startsWith("Boxoffice is ready")) {
          Thread.ofVirtual().start(() -> echoUntilClosed(output, lines));
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static void echoUntilClosed(BufferedReader output, List<String> lines) {
    try {
      output.lines().forEach(line -> {
        System.out.println("[stack] " + line);
        lines.add(line);
      });
    } catch (java.io.UncheckedIOException streamClosedWithTheProcess) {
      // the stack was stopped; its remaining output is of no interest
    }
  }

  private int readiness() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready"))
        .timeout(Duration.ofSeconds(5)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private static long pidIn(Path pidFile) throws IOException {
    return Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
  }

  private static boolean running(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static boolean exitsSoon(long pid) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty()) {
      return true;
    }
    try {
      process.get().onExit().get(15, TimeUnit.SECONDS);
      return true;
    } catch (Exception stillRunning) {
      return !process.get().isAlive();
    }
  }
}
