package dev.boxoffice.loadtest;

import dev.boxoffice.local.servers.LoopbackPorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The packaged local stack run as {@code ./boxoffice up --backends N} runs it ({@code java -jar
 * local/stack/target/local-stack.jar --backends N}), on free ports with a throw-away data folder, for the simulations
 * that go through the load balancer. Its output is echoed with a {@code [stack]} prefix.
 */
final class BalancedStack implements AutoCloseable {

  private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
  private static final long READY_SECONDS = 240;

  private final Process process;
  private final Path dataDir;
  private final String frontend;

  private BalancedStack(Process process, Path dataDir, String frontend) {
    this.process = process;
    this.dataDir = dataDir;
    this.frontend = frontend;
  }

  /** Checks every {@code checkIntervalSeconds}; the thresholds and the deregistration delay stay the templates'. */
  static BalancedStack start(int backends, Path dataDir, double checkIntervalSeconds) throws Exception {
    Path jar = REPOSITORY.resolve("local/stack/target/local-stack.jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: the local stack module is packaged before the load tests");
    }
    int port = LoopbackPorts.free();
    ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-XX:+UseParallelGC", "-jar", jar.toString(), "--backends", Integer.toString(backends))
        .directory(REPOSITORY.toFile())
        .redirectErrorStream(true);
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(name -> name.startsWith("BOXOFFICE_"));
    env.put("BOXOFFICE_DATA_DIR", dataDir.toString());
    env.put("BOXOFFICE_HTTP_PORT", Integer.toString(port));
    env.put("BOXOFFICE_LOG_FORMAT", "text");
    env.put("BOXOFFICE_ORGANIZER_EMAILS", LocalBackend.ORGANIZER);
    env.put("BOXOFFICE_STATIC_DIR", Files.createDirectories(dataDir.resolve("static")).toString());
    env.put("BOXOFFICE_LOCAL_HEALTH_CHECK_INTERVAL_SECONDS", Double.toString(checkIntervalSeconds));
    for (String server : List.of("PG", "REDIS", "APIGATEWAY", "S3", "DYNAMODB", "SNS", "SFN", "SMTP", "INBOX",
        "MEDIA", "STRIPE", "SQS", "SES", "SECRETS")) {
      env.put("BOXOFFICE_LOCAL_" + server + "_PORT", "0");
    }
    Process process = builder.start();
    CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> echoUntilReady(process));
    if (!ready.get(READY_SECONDS, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the stack with " + backends + " backends did not start (its output is above)");
    }
    return new BalancedStack(process, dataDir, "http://127.0.0.1:" + port);
  }

  /** Echoes the output until the banner's last line, then goes on echoing in a thread of its own. */
  private static boolean echoUntilReady(Process process) {
    BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    try {
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        System.out.println("[stack] " + line);
        if (line.startsWith("Press Ctrl-C")) {
          Thread.ofPlatform().daemon().start(() -> echo(output));
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void echo(BufferedReader output) {
    try {
      for (String line = output.readLine(); line != null; line = output.readLine()) {
        System.out.println("[stack] " + line);
      }
    } catch (IOException stopped) {
      // the stack exited
    }
  }

  String frontend() {
    return frontend;
  }

  Path dataDir() {
    return dataDir;
  }

  /** Ctrl-C's path: SIGTERM, and the stack stops its backends, the balancer and every server. */
  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
