package dev.boxoffice.local.stack;

import dev.boxoffice.backend.Boxoffice;
import dev.boxoffice.backend.Logging;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.local.servers.LocalPostgres;
import dev.boxoffice.local.servers.LocalRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./boxoffice up}: starts every server the backend needs on this machine, then the backend itself, and
 * stops all of them again on Ctrl-C. Servers that the environment points elsewhere (RDS, ElastiCache) are not
 * started; the backend then talks to those exactly as it does in AWS.
 */
public final class LocalStack implements AutoCloseable {

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final Map<String, String> endpoints = new java.util.LinkedHashMap<>();
  private Boxoffice backend;
  private LocalAws aws;

  public static void main(String[] args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent("BOXOFFICE_LOG_FORMAT", "text");
    env.putIfAbsent("BOXOFFICE_HTTP_HOST", "127.0.0.1");
    LocalStackSettings settings;
    Config config;
    try {
      settings = LocalStackSettings.fromEnvironment(env);
      config = Config.fromEnvironment(env);
    } catch (IllegalArgumentException e) {
      System.err.println("Boxoffice cannot start: " + e.getMessage());
      System.exit(2);
      return;
    }
    Logging.configure(config.logFormat());
    Logger log = LoggerFactory.getLogger(LocalStack.class);
    long started = System.nanoTime();
    LocalStack stack = new LocalStack();
    Runtime.getRuntime().addShutdownHook(new Thread(stack::closeQuietly, "boxoffice-local-shutdown"));
    try {
      stack.start(settings, env);
    } catch (Exception e) {
      log.error("the local stack failed to start", e);
      System.err.println("Boxoffice could not start: " + rootMessage(e));
      System.exit(1);
    }
    System.out.println(stack.banner(Duration.ofNanos(System.nanoTime() - started)));
  }

  /**
   * Starts the embedded servers the environment doesn't replace, the local AWS half, then the backend against all
   * of them. The backend gets what ECS would give it in AWS (state machine ARNs, the ticket key, the API Gateway
   * URL) unless {@code env} already says otherwise.
   */
  public void start(LocalStackSettings settings, Map<String, String> env) throws Exception {
    Config config = Config.fromEnvironment(env);
    settings.requireFreePorts();
    Config effective = config;
    if (!env.containsKey("BOXOFFICE_DB_HOST")) {
      LocalPostgres postgres = LocalPostgres.start(settings.dataDir().resolve("postgres"), settings.postgresPort(),
          config.database().name(), true);
      running.push(postgres);
      effective = effective.withDatabase(new Config.Database(postgres.host(), postgres.port(), postgres.database(),
          postgres.user(), "", "disable", Optional.empty(), config.database().poolSize()));
      endpoints.put("PostgreSQL", "postgresql://" + postgres.user() + "@" + postgres.host() + ":" + postgres.port()
          + "/" + postgres.database() + "  (embedded, data in " + settings.dataDir().resolve("postgres") + ")");
    } else {
      endpoints.put("PostgreSQL", config.database().host() + ":" + config.database().port() + "  (external)");
    }
    if (!env.containsKey("BOXOFFICE_REDIS_URL")) {
      LocalRedis redis = LocalRedis.start(settings.dataDir().resolve("redis"), settings.redisPort());
      running.push(redis);
      effective = effective.withRedis(new Config.Redis(redis.url(), Optional.empty(), config.redis().poolSize()));
      endpoints.put("Redis", redis.url() + "  (embedded)");
    } else {
      endpoints.put("Redis", config.redis().url() + "  (external)");
    }
    LocalSecrets secrets = LocalSecrets.load(effective);
    Map<String, String> lambdaSettings = new HashMap<>(secrets.lambdaEnvironment());
    lambdaSettings.put("BOXOFFICE_ORGANIZER_EMAILS", env.getOrDefault("BOXOFFICE_ORGANIZER_EMAILS", ""));
    lambdaSettings.put("BOXOFFICE_DOOR_STAFF_EMAILS", env.getOrDefault("BOXOFFICE_DOOR_STAFF_EMAILS", ""));
    aws = LocalAws.start(settings, repositoryRoot(), lambdaSettings);
    running.push(aws);
    aws.endpoints().forEach((service, endpoint) -> endpoints.put(service, endpoint.toString()));

    Map<String, String> backendEnv = new HashMap<>(env);
    backendEnv.putIfAbsent("BOXOFFICE_SFN_ENDPOINT", aws.endpoints().get("Step Functions").toString());
    backendEnv.putIfAbsent("BOXOFFICE_TICKET_ISSUANCE_STATE_MACHINE_ARN",
        aws.stateMachineArns().get("TicketIssuanceStateMachine"));
    backendEnv.putIfAbsent("BOXOFFICE_EVENT_ANNOUNCEMENT_STATE_MACHINE_ARN",
        aws.stateMachineArns().get("EventAnnouncementStateMachine"));
    backendEnv.putIfAbsent("BOXOFFICE_TICKET_PUBLIC_KEY", secrets.ticketPublicKeyPem());
    backendEnv.putIfAbsent("BOXOFFICE_SERVERLESS_API_URL", aws.endpoints().get("API Gateway").toString()
        .replaceAll("/$", ""));
    if (aws.endpoints().containsKey("Event images")) {
      backendEnv.putIfAbsent("BOXOFFICE_IMAGE_BASE_URL", aws.endpoints().get("Event images").toString());
    }
    backend = Boxoffice.start(Config.fromEnvironment(backendEnv)
        .withDatabase(effective.database())
        .withRedis(effective.redis()));
    running.push(backend);
  }

  /** The checkout this runs from: the nearest folder upwards holding the root pom and {@code cloudformation/}. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
      if (Files.isRegularFile(candidate.resolve("pom.xml")) && Files.isDirectory(candidate.resolve("cloudformation"))) {
        return candidate;
      }
    }
    throw new IllegalStateException("run the local stack from inside the Boxoffice checkout (no cloudformation/ above "
        + dir + ")");
  }

  public Config backendConfig() {
    return backend.config();
  }

  /** The local AWS services, for tests that look inside them. */
  public LocalAws aws() {
    return aws;
  }

  String banner(Duration startup) {
    String base = "http://" + backend.config().httpHost() + ":" + backend.config().httpPort();
    StringBuilder banner = new StringBuilder()
        .append("\nBoxoffice is ready (started in ").append(String.format("%.1f", startup.toMillis() / 1000.0))
        .append(" s)\n\n");
    Map<String, String> lines = new java.util.LinkedHashMap<>();
    lines.put("Frontend", base + "/");
    lines.put("API", base + "/api/");
    lines.put("Health", base + "/health/ready");
    lines.put("Metrics", base + "/metrics");
    lines.putAll(endpoints);
    lines.forEach((name, url) -> banner.append(String.format("  %-16s %s%n", name, url)));
    return banner.append("\nPress Ctrl-C to stop everything.\n").toString();
  }

  @Override
  public void close() throws Exception {
    Exception first = null;
    while (!running.isEmpty()) {
      try {
        running.pop().close();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception e) {
      System.err.println("Boxoffice did not stop cleanly: " + rootMessage(e));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
