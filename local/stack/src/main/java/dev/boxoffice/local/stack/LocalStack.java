package dev.boxoffice.local.stack;

import dev.boxoffice.backend.Boxoffice;
import dev.boxoffice.backend.Logging;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.stripe.StripeKeys;
import dev.boxoffice.codecs.session.SessionTokens;
import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.iam.TemplateIam;
import dev.boxoffice.local.cloud.FunctionSecrets;
import dev.boxoffice.local.cloud.LocalAccount;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudSettings;
import dev.boxoffice.local.cloud.LocalPrincipal;
import dev.boxoffice.local.servers.LocalPostgres;
import dev.boxoffice.local.servers.LocalRedis;
import dev.boxoffice.local.servers.LoopbackPorts;
import dev.boxoffice.local.stripe.LocalStripe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code ./boxoffice up}: starts every server the backend needs on this machine, then the backend itself, and
 * stops all of them again on Ctrl-C. Servers that the environment points elsewhere (RDS, ElastiCache) are not
 * started; the backend then talks to those exactly as it does in AWS. With {@code --backends N} the backend runs as
 * N processes behind a local load balancer built from the templates' ALB ({@link BackendFleet}).
 *
 * <p>Longer than most classes on purpose: what {@code ./boxoffice up} starts, in which order, with which settings,
 * and the banner that tells the user where everything is, read as one story; each server's own logic lives in its
 * module.
 */
public final class LocalStack implements AutoCloseable {

  static final String HEALTH_CHECK_INTERVAL = "BOXOFFICE_LOCAL_HEALTH_CHECK_INTERVAL_SECONDS";
  /** The embedded PostgreSQL's two users, named as data.yaml's defaults name them in RDS. */
  static final String DATABASE_OWNER = "boxoffice_owner";
  static final String DATABASE_APPLICATION_USER = "boxoffice_backend";

  private final Deque<AutoCloseable> running = new ArrayDeque<>();
  private final Map<String, String> endpoints = new java.util.LinkedHashMap<>();
  private final Map<String, Map<String, String>> backendOverrides = new HashMap<>();
  private Boxoffice backend;
  private BackendFleet fleet;
  private URI frontend;
  private LocalCloud cloud;

  public static void main(String[] args) {
    Map<String, String> env = localMode(System.getenv());
    env.putIfAbsent("BOXOFFICE_LOG_FORMAT", "text");
    LocalStackSettings settings;
    Config config;
    Topology topology;
    boolean demo = List.of(args).contains("--demo");
    if (demo) {
      env = DemoData.withDemoRoles(env);
    }
    try {
      settings = LocalStackSettings.fromEnvironment(env);
      config = Config.fromEnvironment(env);
      topology = Topology.fromArguments(args);
      if (topology.balanced() && LocalBalancer.executable().isEmpty()) {
        throw new IllegalArgumentException(LocalBalancer.installHint());
      }
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
      stack.start(settings, env, topology);
    } catch (Exception e) {
      log.error("the local stack failed to start", e);
      System.err.println("Boxoffice could not start: " + rootMessage(e));
      System.exit(1);
    }
    if (demo) {
      try {
        int made = DemoData.seed(stack.frontend(), stack.cloud().admin().s3(),
            stack.cloud().resources().bucketName("MediaBucket"));
        log.info(made == 0 ? "demo: the demo organizer's events are already there" : "demo: {} sample events made",
            made);
      } catch (Exception e) {
        log.error("the demo data could not be made", e);
        System.err.println("Boxoffice started, but its demo data could not be made: " + rootMessage(e));
      }
    }
    System.out.println(stack.banner(Duration.ofNanos(System.nanoTime() - started)));
    if (demo) {
      System.out.println(DemoData.howToSignIn(stack.frontend(), stack.cloud().inboxUrl().toString()));
    }
  }

  /**
   * Starts the embedded servers the environment doesn't replace, the local AWS half, then the backend against all
   * of them. The backend gets what ECS would give it in AWS (state machine ARNs, the ticket key, the API Gateway
   * URL) unless {@code env} already says otherwise.
   */
  public void start(LocalStackSettings settings, Map<String, String> env) throws Exception {
    start(settings, env, Topology.single());
  }

  /**
   * The backend's environment under the local stack: local mode (the jar defaults to aws mode) on loopback, unless
   * the caller says otherwise.
   */
  static Map<String, String> localMode(Map<String, String> env) {
    Map<String, String> local = new HashMap<>(env);
    local.putIfAbsent("BOXOFFICE_MODE", "local");
    local.putIfAbsent("BOXOFFICE_HTTP_HOST", "127.0.0.1");
    return local;
  }

  /** As {@link #start(LocalStackSettings, Map)}, with the backend run as {@code topology} says. */
  public void start(LocalStackSettings settings, Map<String, String> callerEnv, Topology topology)
      throws Exception {
    Map<String, String> env = localMode(callerEnv);
    Config config = Config.fromEnvironment(env);
    settings.requireFreePorts();
    Config effective = config;
    if (!env.containsKey("BOXOFFICE_DB_HOST")) {
      LocalPostgres postgres = LocalPostgres.start(settings.dataDir().resolve("postgres"), settings.postgresPort(),
          config.database().name(), true);
      running.push(postgres);
      // As an operator's bootstrap-database.sh does in RDS: the backend migrates as the owner, serves as the other.
      postgres.bootstrapUsers(postgres.database(), DATABASE_OWNER, DATABASE_APPLICATION_USER);
      effective = effective.withDatabase(new Config.Database(postgres.host(), postgres.port(), postgres.database(),
          DATABASE_APPLICATION_USER, "", "disable", Optional.empty(), config.database().poolSize(),
          Optional.of(new Config.Credentials(DATABASE_OWNER, ""))));
      endpoints.put("PostgreSQL", "postgresql://" + DATABASE_APPLICATION_USER + "@" + postgres.host() + ":"
          + postgres.port() + "/" + postgres.database() + "  (embedded, migrated as " + DATABASE_OWNER + ", data in "
          + settings.dataDir().resolve("postgres") + ")");
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
        templateParameters, LocalAccount.fromEnvironment(env)));
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
    endpoints.put("Stripe (test)", cloud.stripe().apiBase() + "  (hosted checkout; test card 4242 4242 4242 4242)");

    Map<String, String> backendEnv = new HashMap<>(env);
    backendEnv.putIfAbsent("BOXOFFICE_SFN_ENDPOINT", cloud.stepFunctionsEndpoint().toString());
    backendEnv.putIfAbsent("BOXOFFICE_TICKET_ISSUANCE_STATE_MACHINE_ARN",
        cloud.resources().stateMachineArn("TicketIssuanceStateMachine"));
    backendEnv.putIfAbsent("BOXOFFICE_ISSUANCE_OUTCOME_QUEUE_URL", cloud.resources().queueUrl("IssuanceOutcomeQueue"));
    backendEnv.putIfAbsent("BOXOFFICE_SQS_ENDPOINT", cloud.sqsEndpoint().toString());
    backendEnv.putIfAbsent("BOXOFFICE_EVENT_ANNOUNCEMENT_STATE_MACHINE_ARN",
        cloud.resources().stateMachineArn("EventAnnouncementStateMachine"));
    backendEnv.putIfAbsent("BOXOFFICE_TICKET_CANCELLATION_STATE_MACHINE_ARN",
        cloud.resources().stateMachineArn("TicketCancellationStateMachine"));
    backendEnv.putIfAbsent("BOXOFFICE_SNS_ENDPOINT", cloud.snsEndpoint().toString());
    backendEnv.putIfAbsent("BOXOFFICE_NOTIFICATION_TOPIC_ARN", cloud.resources().topicArn("NotificationTopic"));
    backendEnv.putIfAbsent("BOXOFFICE_TICKET_PUBLIC_KEY", SessionTokens.publicKeyPem(secrets.ticketKeys().getPublic()));
    backendEnv.putIfAbsent("BOXOFFICE_SERVERLESS_API_URL", cloud.apiGatewayEndpoint().toString()
        .replaceAll("/$", ""));
    backendEnv.putIfAbsent("BOXOFFICE_IMAGE_BASE_URL", images.toString());
    backendEnv.putIfAbsent("BOXOFFICE_QR_CODE_ORIGIN", cloud.s3Endpoint().toString());
    backendEnv.putIfAbsent("BOXOFFICE_DYNAMODB_ENDPOINT", cloud.dynamoDbEndpoint().toString());
    backendEnv.putIfAbsent("BOXOFFICE_REVOKED_SESSIONS_TABLE", cloud.resources().tableName("RevokedSessionsTable"));
    backendEnv.putIfAbsent("BOXOFFICE_STRIPE_API_BASE", cloud.stripe().apiBase().toString());
    if (topology.balanced()) {
      startFleet(settings, topology, backendEnv, effective);
      return;
    }
    Config backendConfig = Config.fromEnvironment(backendEnv)
        .withDatabase(effective.database())
        .withRedis(effective.redis());
    if (backendConfig.httpPort() == 0) {
      // A free port picked here, as for the fleet: the webhook endpoint and the banner name it before it listens.
      backendConfig = backendConfig.toBuilder().http(backendConfig.httpHost(), LoopbackPorts.free()).build();
    }
    // As the webhook endpoint made once in Stripe's Dashboard, whose signing secret goes to Secrets Manager with the
    // API key; here both are handed to the backend in-process, never through its environment.
    LocalStripe.WebhookEndpoint webhook = cloud.stripe().addWebhookEndpoint("http://127.0.0.1:"
        + backendConfig.httpPort() + "/api/payments/stripe/webhook");
    StripeKeys stripeKeys = new StripeKeys(cloud.stripe().secretKey(), List.of(webhook.secret()));
    backend = Boxoffice.start(backendConfig, Boxoffice.Tuning.defaults(),
        cloud.principals().backendTask().credentialsProvider(), () -> stripeKeys);
    running.push(backend);
    frontend = URI.create("http://" + backend.config().httpHost() + ":" + backend.config().httpPort());
  }

  /**
   * The backend processes get what the in-process backend gets, as environment variables (the servers started here,
   * the local AWS half), and their task role's credentials from the stack's control endpoint, as ECS serves them;
   * the balancer takes the frontend port.
   */
  private void startFleet(LocalStackSettings settings, Topology topology, Map<String, String> backendEnv,
                          Config effective) throws Exception {
    StackControl control = StackControl.start(settings.dataDir(), cloud.principals().backendTask());
    running.push(control);
    Map<String, String> env = new HashMap<>(backendEnv);
    env.put("BOXOFFICE_DATA_DIR", settings.dataDir().toString());
    env.put("BOXOFFICE_DB_HOST", effective.database().host());
    env.put("BOXOFFICE_DB_PORT", Integer.toString(effective.database().port()));
    env.put("BOXOFFICE_DB_NAME", effective.database().name());
    env.put("BOXOFFICE_DB_USER", effective.database().user());
    effective.database().migrator().ifPresent(owner -> env.put("BOXOFFICE_DB_MIGRATION_USER", owner.user()));
    env.put("BOXOFFICE_DB_SSL_MODE", effective.database().sslMode());
    env.put("BOXOFFICE_REDIS_URL", effective.redis().url());
    env.keySet().removeIf(name -> name.startsWith("AWS_"));
    env.putAll(control.credentialsEnvironment());
    // Like a container, which has no ~/.aws: the SDK's chain would read a developer's profile before the endpoint.
    Path noAwsConfig = settings.dataDir().resolve("backends/no-aws-config");
    env.put("AWS_SHARED_CREDENTIALS_FILE", noAwsConfig.toString());
    env.put("AWS_CONFIG_FILE", noAwsConfig.toString());

    Config config = Config.fromEnvironment(backendEnv);
    int port = config.httpPort() == 0 ? LoopbackPorts.free() : config.httpPort();
    env.putAll(stripeSecret("http://127.0.0.1:" + port));
    fleet = BackendFleet.start(topology.backends(), albSettings(backendEnv), config.httpHost(), port, env,
        backendOverrides, settings.dataDir(), LocalCloudSettings.checkoutRoot());
    running.push(fleet);
    control.serve(fleet);
    frontend = URI.create("http://" + config.httpHost() + ":" + port);
    fleet.backendUrls().forEach((target, url) -> endpoints.put("Backend " + target.substring(target.indexOf('-') + 1),
        url + "  (pid " + fleet.pids().get(target) + ")"));
  }

  /**
   * As the operator does once: a webhook endpoint at the public entry in Stripe's Dashboard, and its signing secret
   * with the API key in the Secrets Manager secret the templates name (compute.yaml's StripeSecretArn), which the
   * backend processes read at run time with their task role, as ECS tasks do.
   */
  private Map<String, String> stripeSecret(String publicEntry) {
    LocalStripe.WebhookEndpoint webhook = cloud.stripe().addWebhookEndpoint(publicEntry
        + "/api/payments/stripe/webhook");
    String secretName = TemplateIam.computeStack(CloudFormationTemplate.load(
        LocalCloudSettings.checkoutRoot().resolve("cloudformation/serverless.yaml")))
        .orElseThrow(() -> new IllegalStateException("no compute stack beside serverless.yaml"))
        .ref("StripeSecretArn");
    String secret = new JsonObject().put("secretKey", cloud.stripe().secretKey())
        .put("webhookSecrets", new JsonArray().add(webhook.secret())).encode();
    if (cloud.secretStore().secretArn(secretName).isPresent()) {
      cloud.secretStore().putSecretValue(secretName, null, secret, List.of());
    } else {
      cloud.secretStore().createSecret(secretName, secret);
    }
    return Map.of("BOXOFFICE_STRIPE_SECRET_ID", secretName,
        "BOXOFFICE_SECRETSMANAGER_ENDPOINT", cloud.secretsManagerEndpoint().toString());
  }

  /** The public ALB of the templates; BOXOFFICE_LOCAL_HEALTH_CHECK_INTERVAL_SECONDS shortens its check interval. */
  private static AlbSettings albSettings(Map<String, String> env) {
    AlbSettings alb = AlbSettings.fromTemplates(LocalCloudSettings.checkoutRoot().resolve("cloudformation"));
    String interval = env.get(HEALTH_CHECK_INTERVAL);
    if (interval == null || interval.isBlank()) {
      return alb;
    }
    try {
      return alb.withHealthCheckInterval(Duration.ofMillis(Math.round(Double.parseDouble(interval.trim()) * 1000)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(HEALTH_CHECK_INTERVAL + " must be a number of seconds, not '" + interval
          + "'");
    }
  }

  /**
   * CloudFront's part: the media bucket's {@code events/} read-only, on a Vert.x of its own, reading the bucket as
   * the distribution does in AWS, as CloudFront with the bucket policy's permission.
   */
  private URI startImageCdn(int port) throws Exception {
    Vertx cdnVertx = Vertx.vertx();
    running.push(() -> cdnVertx.close().await(10, TimeUnit.SECONDS));
    S3Client origin = S3Client.builder().region(Region.of(LocalPrincipal.REGION))
        .credentialsProvider(cloud.principals().cloudFront().credentialsProvider())
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .endpointOverride(cloud.s3Endpoint()).forcePathStyle(true).build();
    running.push(origin);
    LocalImageCdn images = new LocalImageCdn(origin, cloud.resources().bucketName("MediaBucket"), port);
    cdnVertx.deployVerticle(images).await(60, TimeUnit.SECONDS);
    return images.endpoint();
  }

  /**
   * Variables of one backend process ({@code backend-1}, ...) that differ from the others', set before
   * {@link #start}: how a test gives one backend a network path of its own to a server, which it can then cut.
   */
  void overrideBackendEnvironment(String target, Map<String, String> variables) {
    backendOverrides.put(target, Map.copyOf(variables));
  }

  /** The in-process backend's configuration; there is none with a load balancer. */
  public Config backendConfig() {
    return backend.config();
  }

  /** Where browsers reach the stack: the load balancer, or the in-process backend without one. */
  public URI frontend() {
    return frontend;
  }

  /** The backend processes behind the load balancer, for tests that restart or observe them; empty without one. */
  public Optional<BackendFleet> fleet() {
    return Optional.ofNullable(fleet);
  }

  /** The local AWS half, for tests that look inside it. */
  public LocalCloud cloud() {
    return cloud;
  }

  String banner(Duration startup) {
    String base = frontend.toString();
    StringBuilder banner = new StringBuilder()
        .append("\nBoxoffice is ready (started in ").append(String.format("%.1f", startup.toMillis() / 1000.0))
        .append(" s)\n\n");
    Map<String, String> lines = new java.util.LinkedHashMap<>();
    lines.put("Frontend", base + "/" + (fleet == null ? ""
        : "  (HAProxy in front of " + fleet.size() + " backends; ./boxoffice backends)"));
    lines.put("API", base + "/api/");
    lines.put("API docs", base + "/api/docs");
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
