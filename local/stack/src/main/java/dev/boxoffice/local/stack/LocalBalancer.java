package dev.boxoffice.local.stack;

import dev.boxoffice.local.servers.StaleProcess;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * HAProxy in front of the backends, configured from the templates ({@link HaproxyConfig}) and driven through its
 * runtime API the way ECS drives the ALB's target group: a target is registered (checked, no traffic until it passes
 * the healthy threshold), deregistered (draining: no new requests, those in flight finish) and removed (unused).
 */
public final class LocalBalancer implements AutoCloseable {

  /** A target's state, as the ALB names them. */
  public enum TargetState { INITIAL, HEALTHY, UNHEALTHY, DRAINING, UNUSED }

  /** What the balancer counted for one target since it started (its fail-open twin included). */
  public record TargetCounters(long requests, long inFlight, long retries, long redispatches, long serverErrors) {
  }

  private static final List<Path> KNOWN_LOCATIONS = List.of(Path.of("/usr/sbin/haproxy"), Path.of("/usr/bin/haproxy"),
      Path.of("/usr/local/sbin/haproxy"), Path.of("/opt/homebrew/sbin/haproxy"), Path.of("/usr/local/bin/haproxy"));
  /**
   * show servers state: the operational states of a server that passes its checks: running, or starting (up, and in
   * its slow start: the ALB reports a target in slow start healthy, and sends it a growing share).
   */
  private static final Set<String> PASSING = Set.of("1", "2");
  private static final List<String> ANSWER_COLUMNS = List.of("hrsp_1xx", "hrsp_2xx", "hrsp_3xx", "hrsp_4xx",
      "hrsp_5xx", "hrsp_other");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final Path adminSocket;
  private final String backend;
  private final Map<String, HaproxyConfig.Target> targets = new HashMap<>();
  /** What the fleet last did to each target; HAProxy's own state adds whether its checks pass. */
  private final Map<String, TargetState> intents = new ConcurrentHashMap<>();

  private LocalBalancer(Process process, Path adminSocket, String backend, List<HaproxyConfig.Target> targets) {
    this.process = process;
    this.adminSocket = adminSocket;
    this.backend = backend;
    targets.forEach(target -> {
      this.targets.put(target.name(), target);
      intents.put(target.name(), TargetState.HEALTHY);
    });
  }

  /**
   * Writes the configuration to {@code <dataDir>/balancer/haproxy.cfg} and starts HAProxy on {@code host:port} in front
   * of {@code targets}, which must already serve: they start registered, as the fleet waited for their readiness.
   */
  static LocalBalancer start(AlbSettings alb, String host, int port, List<HaproxyConfig.Target> targets,
                             Path dataDir) throws IOException {
    Path haproxy = executable().orElseThrow(() -> new IllegalStateException(installHint()));
    Path folder = Files.createDirectories(dataDir.resolve("balancer"));
    Path pidFile = folder.resolve("haproxy.pid");
    StaleProcess.stopIfRunning(pidFile, "haproxy", Duration.ofSeconds(5));
    // A socket path must stay under 108 bytes, which a data folder deep in a checkout may exceed.
    Path socketDir = Files.createTempDirectory("boxoffice-balancer",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path adminSocket = socketDir.resolve("admin.sock");
    Path config = folder.resolve("haproxy.cfg");
    Files.writeString(config, HaproxyConfig.render(alb, host, port, targets, adminSocket));
    Process process = new ProcessBuilder(haproxy.toString(), "-db", "-f", config.toString())
        .redirectErrorStream(true)
        .start();
    // In the foreground HAProxy writes no pid file of its own; this one lets the next start stop a stale HAProxy.
    Files.writeString(pidFile, process.pid() + "\n");
    // A platform thread: a virtual one blocked in a pipe read holds its carrier, and the stack's few carriers are
    // needed by the control endpoint.
    Thread.ofPlatform().daemon().name("balancer-output").start(() -> echo(process.getInputStream()));
    LocalBalancer balancer = new LocalBalancer(process, adminSocket, alb.targetGroup(), targets);
    balancer.awaitAdminSocket();
    return balancer;
  }

  /** HAProxy on the PATH, else where Debian, Homebrew or a source build put it. */
  static Optional<Path> executable() {
    Stream<Path> onPath = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, "haproxy"));
    return Stream.concat(onPath, KNOWN_LOCATIONS.stream()).filter(Files::isExecutable).findFirst();
  }

  static String installHint() {
    return "backends behind a load balancer need HAProxy 2.6 or newer, which is not installed: install it "
        + "(Debian/Ubuntu: sudo apt-get install haproxy; macOS: brew install haproxy) and start again";
  }

  /** Deregisters: no new request goes to the target; those in flight go on. */
  public void deregister(String target) {
    intents.put(target, TargetState.DRAINING);
    run("set server %1$s/%2$s state drain; set server %1$s/%3$s state drain", backend, target, failOpen(target));
  }

  /** Takes the drained target out altogether: no traffic and no health check, as for a stopped task. */
  public void remove(String target) {
    intents.put(target, TargetState.UNUSED);
    run("set server %1$s/%2$s state maint; set server %1$s/%3$s state maint", backend, target, failOpen(target));
  }

  /**
   * Registers the target again: it is checked from now on and gets no request until it passed the healthy threshold,
   * whatever state it was in before ({@link #admitIfHealthy} then lets traffic in).
   */
  public void register(String target) {
    intents.put(target, TargetState.INITIAL);
    run("set server %1$s/%2$s state drain; set server %1$s/%2$s health down", backend, target);
  }

  /** Once a registered target passed its health checks, lets requests in; whether it did. */
  public boolean admitIfHealthy(String target) {
    if (!PASSING.contains(serverState(target).operational())) {
      return false;
    }
    run("set server %1$s/%2$s state ready; set server %1$s/%3$s state ready", backend, target, failOpen(target));
    intents.put(target, TargetState.HEALTHY);
    return true;
  }

  /** The state of each target, as the ALB would report it. */
  public Map<String, TargetState> states() {
    Map<String, TargetState> states = new HashMap<>();
    for (String target : targets.keySet()) {
      TargetState intent = intents.get(target);
      boolean passing = PASSING.contains(serverState(target).operational());
      states.put(target, intent == TargetState.HEALTHY && !passing ? TargetState.UNHEALTHY : intent);
    }
    return states;
  }

  public TargetState state(String target) {
    return states().get(target);
  }

  /** The balancer's counters of each target: requests it sent, in flight now, retried, redispatched, answered 5xx. */
  public Map<String, TargetCounters> counters() {
    List<String> lines = run("show stat").lines().toList();
    List<String> header = Arrays.asList(lines.getFirst().replaceFirst("^# ", "").split(","));
    Map<String, long[]> sums = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.split(",", -1);
      if (fields.length < header.size() || !fields[0].equals(backend)) {
        continue;
      }
      String target = fields[1].endsWith(HaproxyConfig.FAIL_OPEN_SUFFIX)
          ? fields[1].substring(0, fields[1].length() - HaproxyConfig.FAIL_OPEN_SUFFIX.length()) : fields[1];
      if (!targets.containsKey(target)) {
        continue;
      }
      long[] sum = sums.computeIfAbsent(target, name -> new long[5]);
      // Requests are counted by their answers: a server's "stot" counts connections, and HAProxy sends many
      // requests over one kept-alive server connection (and a server has no "req_tot").
      for (String column : ANSWER_COLUMNS) {
        sum[0] += number(fields, header, column);
      }
      int i = 1;
      for (String column : List.of("scur", "wretr", "wredis", "hrsp_5xx")) {
        sum[i++] += number(fields, header, column);
      }
    }
    Map<String, TargetCounters> counters = new HashMap<>();
    sums.forEach((target, sum) -> counters.put(target, new TargetCounters(sum[0], sum[1], sum[2], sum[3], sum[4])));
    return counters;
  }

  private static long number(String[] fields, List<String> header, String column) {
    String value = fields[header.indexOf(column)];
    return value.isEmpty() ? 0 : Long.parseLong(value);
  }

  public long inFlight(String target) {
    return counters().get(target).inFlight();
  }

  private record ServerState(String operational) {
  }

  private ServerState serverState(String target) {
    for (String line : run("show servers state " + backend).lines().toList()) {
      String[] fields = line.split(" ");
      if (fields.length > 5 && fields[3].equals(target)) {
        return new ServerState(fields[5]);
      }
    }
    throw new IllegalStateException("HAProxy knows no server " + target + " in " + backend);
  }

  private static String failOpen(String target) {
    return target + HaproxyConfig.FAIL_OPEN_SUFFIX;
  }

  /** One command (or several, separated by ';') on the runtime API; its answer. */
  private String run(String format, Object... arguments) {
    String command = format.formatted(arguments);
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(adminSocket))) {
      channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      Channels.newInputStream(channel).transferTo(answer);
      String text = answer.toString(StandardCharsets.UTF_8);
      if (text.contains("Unknown command") || text.contains("No such")) {
        throw new IllegalStateException("HAProxy refused '" + command + "': " + text.strip());
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException("HAProxy's runtime API did not answer '" + command + "'", e);
    }
  }

  private void awaitAdminSocket() throws IOException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("HAProxy exited with status " + process.exitValue() + " (its output is above)");
      }
      if (Files.exists(adminSocket)) {
        try {
          run("show info");
          return;
        } catch (UncheckedIOException notYet) {
          // the socket file appears just before HAProxy accepts on it
        }
      }
      sleep(Duration.ofMillis(50));
    }
    process.destroyForcibly();
    throw new IOException("HAProxy did not open its runtime API within " + START_TIMEOUT.toSeconds() + " s");
  }

  /**
   * HAProxy's log (health state changes, failed requests) goes to the stack's output. In the foreground HAProxy
   * writes a state change twice, as a warning and as a log line: it is shown once.
   */
  private static void echo(InputStream output) {
    String previous = "";
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        String message = line.replaceFirst("^\\[(NOTICE|WARNING|ALERT)] +\\(\\d+\\) : ", "");
        if (!message.equals(previous)) {
          System.out.println("[balancer] " + line);
        }
        previous = message;
      }
    } catch (IOException closedWithTheProcess) {
      // HAProxy stopped
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(adminSocket);
    Files.deleteIfExists(adminSocket.getParent());
  }
}
