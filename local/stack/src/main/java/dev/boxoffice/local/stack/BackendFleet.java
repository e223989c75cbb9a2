package dev.boxoffice.local.stack;

import dev.boxoffice.local.servers.LoopbackPorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend service of {@code ./boxoffice up --backends N}: N backend tasks, each the packaged backend jar in a JVM
 * of its own, behind the local balancer on the frontend port. They start together, are replaced one at a time the
 * way ECS replaces a task behind the ALB ({@link #restart}), and stop together.
 */
public final class BackendFleet implements AutoCloseable {

  /**
   * What one restart took.
   *
   * @param inFlight requests the target held when it was deregistered
   * @param draining from the deregistration to its last request answered (at most the deregistration delay)
   * @param exitedOnSigterm false when the process had to be killed after the stop timeout
   * @param startToHealthy from the new process's start to its admission, health checks passed
   */
  public record Restart(String target, long oldPid, long newPid, long inFlight, Duration draining,
                        boolean exitedOnSigterm, Duration stopping, Duration startToHealthy, Duration total) {
  }

  static final String BACKEND_JAR = "verticles/target/boxoffice-backend.jar";
  private static final Logger LOG = LoggerFactory.getLogger(BackendFleet.class);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration POLL = Duration.ofMillis(100);

  private final AlbSettings alb;
  private final List<BackendProcess> backends;
  private final LocalBalancer balancer;

  private BackendFleet(AlbSettings alb, List<BackendProcess> backends, LocalBalancer balancer) {
    this.alb = alb;
    this.backends = List.copyOf(backends);
    this.balancer = balancer;
  }

  /**
   * Starts {@code count} backends on free loopback ports with {@code environment} (everything but their ports: HTTP,
   * and metrics when one is asked for; a target's {@code overrides} on top), waits until each is ready, then the balancer on
   * {@code frontendHost:frontendPort}.
   */
  static BackendFleet start(int count, AlbSettings alb, String frontendHost, int frontendPort,
                            Map<String, String> environment, Map<String, Map<String, String>> overrides,
                            Path dataDir, Path checkoutRoot) throws IOException {
    Path jar = checkoutRoot.resolve(BACKEND_JAR);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: build it first (./boxoffice build)");
    }
    LocalBalancer.executable().orElseThrow(() -> new IllegalStateException(LocalBalancer.installHint()));
    Path pids = Files.createDirectories(dataDir.resolve("backends"));
    List<BackendProcess> backends = new ArrayList<>();
    for (int number = 1; number <= count; number++) {
      int port = LoopbackPorts.free();
      Map<String, String> own = new HashMap<>(environment);
      own.put("BOXOFFICE_HTTP_HOST", "127.0.0.1");
      own.put("BOXOFFICE_HTTP_PORT", Integer.toString(port));
      // Each ECS task has a network namespace of its own; here the tasks share loopback, so a metrics port given to
      // the stack becomes one free port per backend instead of one that all but the first would fail to bind.
      own.computeIfPresent("BOXOFFICE_METRICS_PORT", (name, given) -> Integer.toString(LoopbackPorts.free()));
      String name = targetName(number);
      own.putAll(overrides.getOrDefault(name, Map.of()));
      backends.add(new BackendProcess(name, port, javaCommand(jar), own, pids.resolve(name + ".pid")));
    }
    try {
      for (BackendProcess backend : backends) {
        backend.start();
      }
      for (BackendProcess backend : backends) {
        if (!backend.awaitReady(START_TIMEOUT)) {
          throw new IllegalStateException(backend.name() + " did not become ready (its output is above)");
        }
      }
      LocalBalancer balancer = LocalBalancer.start(alb, frontendHost, frontendPort,
          backends.stream().map(backend -> new HaproxyConfig.Target(backend.name(), backend.port())).toList(), dataDir);
      return new BackendFleet(alb, backends, balancer);
    } catch (IOException | RuntimeException e) {
      backends.forEach(backend -> backend.retire(alb.stopTimeout()));
      throw e;
    }
  }

  /** The JVM options of the image (verticles/Dockerfile) and of the stack's own JVM. */
  private static List<String> javaCommand(Path jar) {
    List<String> command = new ArrayList<>(List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-XX:+UseParallelGC", "-XX:+ExitOnOutOfMemoryError", "-XX:-DontCompileHugeMethods",
        "--enable-native-access=ALL-UNNAMED"));
    if (Runtime.version().feature() >= 24) {
      command.add("--sun-misc-unsafe-memory-access=allow");
    }
    command.addAll(List.of("-jar", jar.toString()));
    return command;
  }

  static String targetName(int number) {
    return "backend-" + number;
  }

  /**
   * Replaces backend {@code number} (1-based) as ECS replaces a task behind the ALB: deregisters it (no new
   * request), waits for its requests in flight up to the deregistration delay, removes it, stops it with SIGTERM
   * (SIGKILL after the stop timeout), starts a new process on the same port, registers it and lets traffic in once it
   * passed the healthy threshold. One restart at a time; {@code progress} hears each step.
   */
  public synchronized Restart restart(int number, Consumer<String> progress) throws IOException {
    if (number < 1 || number > backends.size()) {
      throw new IllegalArgumentException("there is no backend " + number + "; backends are numbered 1 to "
          + backends.size());
    }
    BackendProcess backend = backends.get(number - 1);
    String target = backend.name();
    long started = System.nanoTime();
    long oldPid = backend.pid();

    long inFlight = balancer.inFlight(target);
    balancer.deregister(target);
    progress.accept(target + ": deregistered, draining " + inFlight + " requests in flight (deregistration delay "
        + alb.deregistrationDelay().toSeconds() + " s)");
    long drainStarted = System.nanoTime();
    long deadline = drainStarted + alb.deregistrationDelay().toNanos();
    while (balancer.inFlight(target) > 0 && System.nanoTime() < deadline) {
      LocalBalancer.sleep(POLL);
    }
    Duration draining = since(drainStarted);
    balancer.remove(target);
    progress.accept(target + ": drained in " + draining.toMillis() + " ms; SIGTERM to pid " + oldPid);

    long stopStarted = System.nanoTime();
    boolean exitedOnSigterm = backend.stop(alb.stopTimeout());
    Duration stopping = since(stopStarted);
    progress.accept(target + ": " + (exitedOnSigterm ? "stopped in " + stopping.toMillis() + " ms"
        : "killed after the stop timeout of " + alb.stopTimeout().toSeconds() + " s"));

    long startStarted = System.nanoTime();
    backend.start();
    balancer.register(target);
    progress.accept(target + ": started pid " + backend.pid() + ", registered; waiting for "
        + alb.healthCheck().healthyThreshold() + " passed health checks every "
        + alb.healthCheck().interval().toMillis() + " ms");
    long healthyDeadline = startStarted + START_TIMEOUT.toNanos();
    while (!balancer.admitIfHealthy(target)) {
      if (!backend.isAlive()) {
        throw new IllegalStateException(target + " exited with status " + backend.exitValue()
            + " while starting (its output is above)");
      }
      if (System.nanoTime() > healthyDeadline) {
        throw new IllegalStateException(target + " did not pass its health checks within "
            + START_TIMEOUT.toMinutes() + " min");
      }
      LocalBalancer.sleep(POLL);
    }
    Restart restart = new Restart(target, oldPid, backend.pid(), inFlight, draining, exitedOnSigterm, stopping,
        since(startStarted), since(started));
    progress.accept(target + ": healthy and receiving requests, " + restart.total().toMillis() + " ms after "
        + "its deregistration");
    LOG.info("restarted {}: {}", target, restart);
    return restart;
  }

  public LocalBalancer balancer() {
    return balancer;
  }

  /** Each backend's own URL, bypassing the balancer, by target name. */
  public Map<String, String> backendUrls() {
    Map<String, String> urls = new java.util.LinkedHashMap<>();
    backends.forEach(backend -> urls.put(backend.name(), backend.url()));
    return urls;
  }

  public Map<String, Long> pids() {
    Map<String, Long> pids = new java.util.LinkedHashMap<>();
    backends.forEach(backend -> pids.put(backend.name(), backend.pid()));
    return pids;
  }

  public int size() {
    return backends.size();
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  /** The balancer first, so that nothing reaches a stopping backend; then every backend at once. */
  @Override
  public void close() throws IOException {
    try {
      balancer.close();
    } finally {
      CompletableFuture.allOf(backends.stream()
          .map(backend -> CompletableFuture.runAsync(() -> backend.retire(alb.stopTimeout())))
          .toArray(CompletableFuture[]::new)).join();
    }
  }
}
