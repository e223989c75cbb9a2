package dev.boxoffice.local.stack;

import dev.boxoffice.backend.Boxoffice;
import dev.boxoffice.backend.Logging;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.local.cloud.FunctionSecrets;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudSettings;
import dev.boxoffice.local.cloud.LocalPrincipal;
import dev.boxoffice.local.servers.LocalPostgres;
import dev.boxoffice.local.servers.LocalRedis;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
  private LocalCloud cloud;

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
    FunctionSecrets secrets = LocalSecrets.load(effective);
    Map<String, String> templateParameters = new HashMap<>(Map.of(
        "SiteUrl", "http://" + config.httpHost() + ":" + config.httpPort(),
        "MailDomain", LocalCloudSettings.LOCAL_MAIL_DOMAIN));
    if (settings.sesMaxSendRate() != null) {
      templateParameters.put("SesMaxSendRate", settings.sesMaxSendRate());
    }
    cloud = LocalCloud.start(new LocalCloudSettings(LocalCloudSettings.checkoutRoot(), settings.dataDir(),
        settings.cloudPorts(), secrets, Map.of(
            "BOXOFFICE_ORGANIZER_EMAILS", env.getOrDefault("BOXOFFICE_ORGANIZER_EMAILS", ""),
            "BOXOFFICE_DOOR_STAFF_EMAILS", env.getOrDefault("BOXOFFICE_DOOR_STAFF_EMAILS", "")),
        templateParameters));
    running.push(cloud);
    URI images = startImageCdn(settings.mediaPort());
    endpoints.put("S3", cloud.s3Endpoint().toString());
    endpoints.put("DynamoDB", cloud.dynamoDbEndpoint().toString());
    endpoints.put("SNS", cloud.snsEndpoint().toString());
    endpoints.put("SQS", cloud.sqsEndpoint().toString());
    endpoints.put("SES", cloud.sesEndpoint().toString());
    endpoints.put("Step Functions", cloud.stepFunctionsEndpoint().toString());
    endpoints.put("Event images", images.toString());
    endpoints.put("API Gateway", cloud.apiGatewayEndpoint().toString());
    endpoints.put("Email inbox", cloud.inboxUrl().toString());

    Map<String, String> backendEnv = new HashMap<>(env);
    backendEnv.putIfAbsent("BOXOFFICE_SFN_ENDPOINT", cloud.stepFunctionsEndpoint().toString());
    backendEnv.putIfAbsent("BOXOFFICE_TICKET_ISSUANCE_STATE_MACHINE_ARN",
        cloud.resources().stateMachineArn("TicketIssuanceStateMachine"));
    backendEnv.putIfAbsent("BOXOFFICE_EVENT_ANNOUNCEMENT_STATE_MACHINE_ARN",
        cloud.resources().stateMachineArn("EventAnnouncementStateMachine"));
    backendEnv.putIfAbsent("BOXOFFICE_TICKET_PUBLIC_KEY", SessionTokens.publicKeyPem(secrets.ticketKeys().getPublic()));
    backendEnv.putIfAbsent("BOXOFFICE_SERVERLESS_API_URL", cloud.apiGatewayEndpoint().toString()
        .replaceAll("/$", ""));
    backendEnv.putIfAbsent("BOXOFFICE_IMAGE_BASE_URL", images.toString());
    backend = Boxoffice.start(Config.fromEnvironment(backendEnv)
        .withDatabase(effective.database())
        .withRedis(effective.redis()),
        Boxoffice.Tuning.defaults(), LocalPrincipal.backendTask().credentialsProvider());
    running.push(backend);
  }

  /** CloudFront's part: the media bucket's {@code events/} read-only, on a Vert.x of its own. */
  private URI startImageCdn(int port) throws Exception {
    Vertx cdnVertx = Vertx.vertx();
    running.push(() -> cdnVertx.close().await(10, TimeUnit.SECONDS));
    LocalImageCdn images = new LocalImageCdn(cloud.admin().s3(), cloud.resources().bucketName("MediaBucket"), port);
    cdnVertx.deployVerticle(images).await(60, TimeUnit.SECONDS);
    return images.endpoint();
  }

  public Config backendConfig() {
    return backend.config();
  }

  /** The local AWS half, for tests that look inside it. */
  public LocalCloud cloud() {
    return cloud;
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
