package dev.boxoffice.local.stack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.boxoffice.local.cloud.LocalPrincipal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The running stack's loopback control endpoint, for {@code ./boxoffice restart-backend K} and
 * {@code ./boxoffice backends} ({@link StackCommand}), and what the ECS agent serves a task: its role's credentials,
 * which the backends' AWS SDK fetches through {@code AWS_CONTAINER_CREDENTIALS_FULL_URI}. Each caller proves it may
 * read the data folder: the control token is in {@code <data>/stack-control.json}, the credentials token in
 * {@code <data>/backends/credentials-token}, both readable by their owner only.
 */
final class StackControl implements AutoCloseable {

  static final String CONTROL_FILE = "stack-control.json";
  private static final Pattern RESTART = Pattern.compile("/backends/(\\d+)/restart");
  private static final String CREDENTIALS_PATH = "/credentials/backend-task";

  private final HttpServer server;
  private final Path controlFile;
  private final String controlToken;
  private final String credentialsToken;
  private final Path credentialsTokenFile;
  private final LocalPrincipal taskRole;
  private volatile BackendFleet fleet;

  private StackControl(HttpServer server, Path controlFile, String controlToken, Path credentialsTokenFile,
                       String credentialsToken, LocalPrincipal taskRole) {
    this.taskRole = taskRole;
    this.server = server;
    this.controlFile = controlFile;
    this.controlToken = controlToken;
    this.credentialsTokenFile = credentialsTokenFile;
    this.credentialsToken = credentialsToken;
  }

  /** @param taskRole the backend task role of the local AWS half, whose credentials the backends get */
  static StackControl start(Path dataDir, LocalPrincipal taskRole) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    Path backends = Files.createDirectories(dataDir.resolve("backends"));
    StackControl control = new StackControl(server, dataDir.resolve(CONTROL_FILE), randomToken(),
        backends.resolve("credentials-token"), randomToken(), taskRole);
    server.createContext("/backends", control::backends);
    server.createContext(CREDENTIALS_PATH, control::credentials);
    server.start();
    writeOwnerOnly(control.credentialsTokenFile, control.credentialsToken);
    writeOwnerOnly(control.controlFile, new JsonObject().put("url", control.url().toString())
        .put("token", control.controlToken).encodePrettily());
    return control;
  }

  /** From now on the endpoint drives this fleet. */
  void serve(BackendFleet backendFleet) {
    this.fleet = backendFleet;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The variables that make a backend's AWS SDK fetch its task role's credentials here, as in ECS. */
  Map<String, String> credentialsEnvironment() {
    return Map.of(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", url() + CREDENTIALS_PATH,
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", credentialsTokenFile.toString());
  }

  private void backends(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"), "Bearer " + controlToken)) {
        reply(exchange, 401, "the control token of " + controlFile + " is needed\n");
        return;
      }
      BackendFleet running = fleet;
      if (running == null) {
        reply(exchange, 409, "the backends are not started yet\n");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      Matcher restart = RESTART.matcher(path);
      if (exchange.getRequestMethod().equals("GET") && path.equals("/backends")) {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        if (accept != null && accept.contains("application/json")) {
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          reply(exchange, 200, targets(running).encodePrettily());
        } else {
          reply(exchange, 200, describe(running));
        }
      } else if (exchange.getRequestMethod().equals("POST") && restart.matches()) {
        String accept = exchange.getRequestHeaders().getFirst("Accept");
        restart(exchange, running, Integer.parseInt(restart.group(1)),
            accept != null && accept.contains("application/x-ndjson"));
      } else {
        reply(exchange, 404, "no such command: " + exchange.getRequestMethod() + " " + path + "\n");
      }
    }
  }

  /**
   * Streams each step as a line; the last line starts with "done" or "failed". As JSON lines ({@code ndjson}) for a
   * load test: {"progress"}, then {"done"} with the restart's figures or {"failed"}.
   */
  private static void restart(HttpExchange exchange, BackendFleet running, int number, boolean ndjson)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", ndjson ? "application/x-ndjson" : "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(200, 0);
    try (PrintStream lines = new PrintStream(exchange.getResponseBody(), true, StandardCharsets.UTF_8)) {
      try {
        BackendFleet.Restart done = running.restart(number, step -> lines.println(ndjson
            ? new JsonObject().put("progress", step).encode() : step));
        lines.println(ndjson ? new JsonObject().put("done", figures(done)).encode()
            : "done: " + done.target() + " replaced in " + done.total().toMillis() + " ms");
      } catch (RuntimeException | IOException e) {
        lines.println(ndjson ? new JsonObject().put("failed", String.valueOf(e.getMessage())).encode()
            : "failed: " + e.getMessage());
      }
    }
  }

  private static JsonObject figures(BackendFleet.Restart restart) {
    return new JsonObject()
        .put("target", restart.target())
        .put("oldPid", restart.oldPid())
        .put("newPid", restart.newPid())
        .put("inFlightAtDeregistration", restart.inFlight())
        .put("drainingMs", restart.draining().toMillis())
        .put("exitedOnSigterm", restart.exitedOnSigterm())
        .put("stoppingMs", restart.stopping().toMillis())
        .put("startToHealthyMs", restart.startToHealthy().toMillis())
        .put("totalMs", restart.total().toMillis());
  }

  private static String describe(BackendFleet running) {
    StringBuilder table = new StringBuilder(String.format("%-12s %-24s %-9s %-10s %s%n", "TARGET", "URL", "PID",
        "STATE", "REQUESTS"));
    Map<String, LocalBalancer.TargetState> states = running.balancer().states();
    Map<String, LocalBalancer.TargetCounters> counters = running.balancer().counters();
    Map<String, Long> pids = running.pids();
    running.backendUrls().forEach((target, url) -> table.append(String.format("%-12s %-24s %-9d %-10s %d%n", target,
        url, pids.get(target), states.get(target).name().toLowerCase(), counters.get(target).requests())));
    return table.toString();
  }

  /** Each target with its balancer state and counters, for load tests that report what the balancer did. */
  private static JsonObject targets(BackendFleet running) {
    Map<String, LocalBalancer.TargetState> states = running.balancer().states();
    Map<String, LocalBalancer.TargetCounters> counters = running.balancer().counters();
    JsonArray targets = new JsonArray();
    running.backendUrls().forEach((target, url) -> {
      LocalBalancer.TargetCounters counted = counters.get(target);
      targets.add(new JsonObject()
          .put("target", target)
          .put("url", url)
          .put("pid", running.pids().get(target))
          .put("state", states.get(target).name().toLowerCase())
          .put("requests", counted.requests())
          .put("inFlight", counted.inFlight())
          .put("retries", counted.retries())
          .put("redispatches", counted.redispatches())
          .put("serverErrors", counted.serverErrors()));
    });
    return new JsonObject().put("targets", targets);
  }

  /** The task role's credentials in the shape of the ECS agent's credentials endpoint. */
  private void credentials(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"), credentialsToken)) {
        reply(exchange, 401, "{\"code\":\"unauthorized\",\"message\":\"wrong authorization token\"}");
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      JsonObject credentials = new JsonObject()
          .put("AccessKeyId", taskRole.accessKeyId())
          .put("SecretAccessKey", taskRole.secretAccessKey());
      if (taskRole.sessionToken() != null) {
        credentials.put("Token", taskRole.sessionToken());
      }
      reply(exchange, 200, credentials
          .put("Expiration", Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString())
          .encode());
    }
  }

  private static boolean authorized(String presented, String expected) {
    return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8),
        expected.getBytes(StandardCharsets.UTF_8));
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String randomToken() {
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
  }

  private static void writeOwnerOnly(Path file, String content) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, content);
  }

  @Override
  public void close() throws IOException {
    server.stop(0);
    Files.deleteIfExists(controlFile);
    Files.deleteIfExists(credentialsTokenFile);
  }
}
