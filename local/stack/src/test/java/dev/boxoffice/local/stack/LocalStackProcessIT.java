package dev.boxoffice.local.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.local.servers.LoopbackPorts;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
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
    for (String port : List.of("PG", "REDIS", "APIGATEWAY", "S3", "DYNAMODB", "SNS", "SFN", "SMTP", "INBOX",
        "MEDIA", "STRIPE", "SQS", "SES", "SECRETS")) {
      env.put("BOXOFFICE_LOCAL_" + port + "_PORT", "0");
    }
    env.put("BOXOFFICE_STATIC_DIR", Files.createDirectories(dataDir.resolve("static")).toString());
    Process process = builder.start();
    CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> awaitBanner(process));
    assertThat(ready.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the stack printed its banner").isTrue();
    return process;
  }

  /**
   * Echoes the stack's output until its banner line; the rest is echoed by a thread of its own until the process
   * ends. The reader is never closed here: closing it would wait for that thread, blocked in a read.
   */
  private static boolean awaitBanner(Process process) {
    BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    try {
      String line;
      while ((line = output.readLine()) != null) {
        System.out.println("[stack] " + line);
        if (line.startsWith("Boxoffice is ready")) {
          Thread.ofVirtual().start(() -> echoUntilClosed(output));
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  private static void echoUntilClosed(BufferedReader output) {
    try {
      output.lines().forEach(line -> System.out.println("[stack] " + line));
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
