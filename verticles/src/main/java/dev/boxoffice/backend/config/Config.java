package dev.boxoffice.backend.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The backend's settings, read once at start-up from its environment ({@link #fromEnvironment}, every variable
 * documented in {@link EnvironmentReader} and the README); tests and the local stack derive variants with
 * {@link #toBuilder()}. Longer than 300 lines on purpose: one record per group of settings and the builder that
 * derives variants read as one list of what the backend can be told.
 */
public record Config(
    Mode mode,
    String httpHost,
    int httpPort,
    int httpInstances,
    Path staticDir,
    Database database,
    Redis redis,
    LogFormat logFormat,
    Path dataDir,
    Auth auth,
    OutboxRelay outboxRelay,
    Serverless serverless,
    Payments payments,
    BuyerNotifications notifications,
    Issuance issuance,
    RevokedSessionsTable revokedSessions,
    Optional<Management> management,
    Tracing tracing) {

  public Config {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(httpHost, "httpHost");
    Objects.requireNonNull(staticDir, "staticDir");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(logFormat, "logFormat");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(outboxRelay, "outboxRelay");
    Objects.requireNonNull(serverless, "serverless");
    Objects.requireNonNull(payments, "payments");
    Objects.requireNonNull(notifications, "notifications");
    Objects.requireNonNull(issuance, "issuance");
    Objects.requireNonNull(revokedSessions, "revokedSessions");
    Objects.requireNonNull(management, "management");
    Objects.requireNonNull(tracing, "tracing");
  }

  public enum Mode { LOCAL, AWS }

  public enum LogFormat { JSON, TEXT }

  /**
   * PostgreSQL connection settings; {@code sslMode} is libpq's: disable, require or verify-full. With a
   * {@code migrator} (the schema's owner) the migrations run as it and the backend serves as {@code user}, a member
   * of the least-privilege {@code boxoffice_app} role; both made by {@code cloudformation/bootstrap-database.sql}.
   * Without one, the backend migrates and serves as {@code user}.
   */
  public record Database(String host, int port, String name, String user, String password, String sslMode,
                         Optional<Path> sslRootCert, int poolSize, Optional<Credentials> migrator) {

    /** Migrating and serving as {@code user}. */
    public Database(String host, int port, String name, String user, String password, String sslMode,
                    Optional<Path> sslRootCert, int poolSize) {
      this(host, port, name, user, password, sslMode, sslRootCert, poolSize, Optional.empty());
    }

    public Database withPasswords(String password, Optional<Credentials> migrator) {
      return new Database(host, port, name, user, password, sslMode, sslRootCert, poolSize, migrator);
    }

    public String jdbcUrl() {
      String ssl = switch (sslMode) {
        case "disable" -> "sslmode=disable";
        case "require" -> "sslmode=require";
        default -> "sslmode=verify-full" + sslRootCert.map(cert -> "&sslrootcert=" + cert).orElse("");
      };
      return "jdbc:postgresql://" + host + ":" + port + "/" + name + "?" + ssl;
    }
  }

  /** A database user and its password; the password never appears in {@link #toString()}. */
  public record Credentials(String user, String password) {

    @Override
    public String toString() {
      return "Credentials[user=" + user + "]";
    }
  }

  /** Redis settings; a {@code rediss://} URL turns TLS on, as ElastiCache in-transit encryption needs. */
  public record Redis(String url, Optional<String> authToken, int poolSize) {

    public boolean tls() {
      return url.startsWith("rediss://");
    }
  }

  /**
   * Session token settings; PEM texts as given, parsed by {@code SessionKeys.load}. {@code administrators} approve
   * organizers (the one role configuration grants); {@code organizerEmails} and {@code doorStaff} (a staff email to
   * the organizers it checks tickets in for) are a one-time bootstrap of the grants in PostgreSQL, made only where
   * no grant of that kind exists for the address.
   */
  public record Auth(Optional<String> publicKeyPem, Optional<String> privateKeyPem, Set<String> organizerEmails,
                     String issuer, String audience, Duration tokenLifetime, Duration clockSkew,
                     Map<String, Set<String>> doorStaff, Set<String> administrators) {

    public Auth {
      organizerEmails = normalized(organizerEmails);
      administrators = normalized(administrators);
      doorStaff = doorStaff.entrySet().stream().collect(Collectors.toUnmodifiableMap(
          entry -> normalizedEmail(entry.getKey()), entry -> normalized(entry.getValue())));
    }

    /** Without administrators. */
    public Auth(Optional<String> publicKeyPem, Optional<String> privateKeyPem, Set<String> organizerEmails,
                String issuer, String audience, Duration tokenLifetime, Duration clockSkew,
                Map<String, Set<String>> doorStaff) {
      this(publicKeyPem, privateKeyPem, organizerEmails, issuer, audience, tokenLifetime, clockSkew, doorStaff,
          Set.of());
    }

    private static Set<String> normalized(Set<String> emails) {
      return emails.stream().map(Config::normalizedEmail).filter(email -> !email.isEmpty())
          .collect(Collectors.toUnmodifiableSet());
    }
  }

  /**
   * The serverless half as the backend sees it: the API Gateway URL for the browser, the public key of ticket tokens,
   * the Step Functions state machines domain events start, and where the browser loads images from: event images
   * ({@code imageBaseUrl}) and the QR codes get-qr-code pre-signs in the media bucket ({@code qrCodeOrigin}), which
   * the Content-Security-Policy names.
   */
  public record Serverless(Optional<String> apiUrl, Optional<String> ticketPublicKeyPem, Optional<URI> sfnEndpoint,
                           String region, Optional<String> ticketIssuanceStateMachineArn,
                           Optional<String> eventAnnouncementStateMachineArn, Optional<String> imageBaseUrl,
                           Optional<String> ticketCancellationStateMachineArn, Optional<String> qrCodeOrigin) {

    /** Without a public address for event images, a ticket cancellation workflow, nor the QR codes' origin. */
    public Serverless(Optional<String> apiUrl, Optional<String> ticketPublicKeyPem, Optional<URI> sfnEndpoint,
                      String region, Optional<String> ticketIssuanceStateMachineArn,
                      Optional<String> eventAnnouncementStateMachineArn) {
      this(apiUrl, ticketPublicKeyPem, sfnEndpoint, region, ticketIssuanceStateMachineArn,
          eventAnnouncementStateMachineArn, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Without the QR codes' origin. */
    public Serverless(Optional<String> apiUrl, Optional<String> ticketPublicKeyPem, Optional<URI> sfnEndpoint,
                      String region, Optional<String> ticketIssuanceStateMachineArn,
                      Optional<String> eventAnnouncementStateMachineArn, Optional<String> imageBaseUrl,
                      Optional<String> ticketCancellationStateMachineArn) {
      this(apiUrl, ticketPublicKeyPem, sfnEndpoint, region, ticketIssuanceStateMachineArn,
          eventAnnouncementStateMachineArn, imageBaseUrl, ticketCancellationStateMachineArn, Optional.empty());
    }

    public boolean workflowsConfigured() {
      return ticketIssuanceStateMachineArn.isPresent() || eventAnnouncementStateMachineArn.isPresent()
          || ticketCancellationStateMachineArn.isPresent();
    }
  }

  /**
   * Card payments through Stripe: {@code publicUrl} is where buyers reach the frontend (Stripe's hosted checkout
   * sends them back there); the keys come from the Secrets Manager secret {@code stripeSecretId} (AWS), or are handed
   * in-process by the local stack with the address of its local Stripe server, {@code stripeApiBase}. Neither set:
   * priced tickets can be held but not paid. {@code secretsManagerEndpoint} is the local Secrets Manager's address,
   * never set in AWS.
   */
  public record Payments(String publicUrl, Optional<String> stripeSecretId, Optional<String> stripeApiBase,
                         Optional<URI> secretsManagerEndpoint) {

    /** Secrets Manager at AWS's own endpoint. */
    public Payments(String publicUrl, Optional<String> stripeSecretId, Optional<String> stripeApiBase) {
      this(publicUrl, stripeSecretId, stripeApiBase, Optional.empty());
    }

    /** Stripe's own API unless a local server is configured. */
    public String apiBase() {
      return stripeApiBase.orElse("https://api.stripe.com");
    }
  }

  /**
   * The notification topic of the email bus, to which the backend publishes what its domain events tell a buyer
   * (held tickets that ran out, a declined card, a refund, a cancelled order); {@code snsEndpoint} overrides AWS's
   * SNS endpoint (the local one). Without a topic nothing is published and nobody is mailed about payments.
   */
  public record BuyerNotifications(Optional<String> topicArn, Optional<URI> snsEndpoint) {

    public static BuyerNotifications off() {
      return new BuyerNotifications(Optional.empty(), Optional.empty());
    }
  }

  /**
   * Ticket issuance in batches: {@code outcomeQueueUrl} is the SQS queue of the chunks' outcomes, which the backend
   * reads (without it, nothing sets tickets ready but the sweep of overdue batches); {@code sqsEndpoint} overrides
   * AWS's; at most {@code batchesInFlight} batches are issuing at once across the backends, so that their chunks
   * ({@code batchesInFlight} × the state machine's MaxConcurrency) stay within create-ticket's reserved concurrency.
   */
  public record Issuance(Optional<String> outcomeQueueUrl, Optional<URI> sqsEndpoint, int batchesInFlight) {

    public static final int DEFAULT_BATCHES_IN_FLIGHT = 4;

    public Issuance {
      if (batchesInFlight < 1) {
        throw new IllegalArgumentException("batchesInFlight must be at least 1");
      }
    }

    public static Issuance defaults() {
      return new Issuance(Optional.empty(), Optional.empty(), DEFAULT_BATCHES_IN_FLIGHT);
    }
  }

  /**
   * The DynamoDB table of revoked sessions that the Lambdas read ({@code tableName}; the serverless stack's), to which
   * the backend copies each revocation it stores in PostgreSQL; {@code dynamoDbEndpoint} overrides AWS's endpoint
   * (the local one). Without a table the backends still refuse revoked sessions, the Lambdas do not.
   */
  public record RevokedSessionsTable(Optional<String> tableName, Optional<URI> dynamoDbEndpoint) {

    public static RevokedSessionsTable off() {
      return new RevokedSessionsTable(Optional.empty(), Optional.empty());
    }
  }

  /**
   * Where {@code /metrics} and the detailed readiness report are served when not on the HTTP port: a server of their
   * own that no load balancer routes to, bound to {@code host} (loopback in aws mode, where the metrics collector
   * beside the container scrapes it).
   */
  public record Management(String host, int port) {
  }

  /**
   * The backend's OpenTelemetry traces: spans are made (and their X-Ray trace headers carried into the workflows
   * they start) whatever is set; they leave the process only to {@code otlpEndpoint} (the ADOT collector beside the
   * ECS task). {@code sampleRatio} is the share of the traces starting here that are recorded; a caller's decision
   * (a {@code Sampled} flag in its trace header) is kept.
   */
  public record Tracing(Optional<URI> otlpEndpoint, double sampleRatio) {

    public Tracing {
      if (!(sampleRatio >= 0 && sampleRatio <= 1)) {
        throw new IllegalArgumentException("the trace sample ratio must be between 0 and 1, not " + sampleRatio);
      }
    }

    /** Every trace recorded, none exported: the tests' and the local stack's default. */
    public static Tracing unexported() {
      return new Tracing(Optional.empty(), 1.0);
    }
  }

  /** How the outbox relay polls: the idle interval between looks and the rows relayed per transaction. */
  public record OutboxRelay(Duration pollInterval, int batchSize) {
  }

  public static Config fromEnvironment(Map<String, String> env) {
    return EnvironmentReader.read(env);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding every setting of this one: the one way to derive a variant. */
  public Builder toBuilder() {
    return new Builder()
        .mode(mode)
        .http(httpHost, httpPort)
        .httpInstances(httpInstances)
        .staticDir(staticDir)
        .database(database)
        .redis(redis)
        .logFormat(logFormat)
        .dataDir(dataDir)
        .auth(auth)
        .outboxRelay(outboxRelay)
        .serverless(serverless)
        .payments(payments)
        .notifications(notifications)
        .issuance(issuance)
        .revokedSessions(revokedSessions)
        .management(management)
        .tracing(tracing);
  }

  /** The local stack's and the load test's one change: the embedded PostgreSQL they started. */
  public Config withDatabase(Database database) {
    return toBuilder().database(database).build();
  }

  /** The local stack's and the load test's other change: the embedded Redis they started. */
  public Config withRedis(Redis redis) {
    return toBuilder().redis(redis).build();
  }

  static String normalizedEmail(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * Collects the settings of a {@link Config}; {@link #build()} requires every one of them but the notifications, the
   * revoked-sessions table, the management server and the tracing, off (unexported) unless set.
   */
  public static final class Builder {

    private Mode mode;
    private String httpHost;
    private int httpPort;
    private int httpInstances;
    private Path staticDir;
    private Database database;
    private Redis redis;
    private LogFormat logFormat;
    private Path dataDir;
    private Auth auth;
    private OutboxRelay outboxRelay;
    private Serverless serverless;
    private Payments payments;
    private BuyerNotifications notifications = BuyerNotifications.off();
    private Issuance issuance = Issuance.defaults();
    private RevokedSessionsTable revokedSessions = RevokedSessionsTable.off();
    private Optional<Management> management = Optional.empty();
    private Tracing tracing = Tracing.unexported();

    private Builder() {
    }

    public Builder mode(Mode mode) {
      this.mode = mode;
      return this;
    }

    public Builder http(String host, int port) {
      this.httpHost = host;
      this.httpPort = port;
      return this;
    }

    public Builder httpInstances(int instances) {
      this.httpInstances = instances;
      return this;
    }

    public Builder staticDir(Path dir) {
      this.staticDir = dir;
      return this;
    }

    public Builder database(Database database) {
      this.database = database;
      return this;
    }

    public Builder redis(Redis redis) {
      this.redis = redis;
      return this;
    }

    public Builder logFormat(LogFormat format) {
      this.logFormat = format;
      return this;
    }

    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    public Builder auth(Auth auth) {
      this.auth = auth;
      return this;
    }

    public Builder outboxRelay(OutboxRelay outboxRelay) {
      this.outboxRelay = outboxRelay;
      return this;
    }

    public Builder serverless(Serverless serverless) {
      this.serverless = serverless;
      return this;
    }

    public Builder payments(Payments payments) {
      this.payments = payments;
      return this;
    }

    public Builder notifications(BuyerNotifications notifications) {
      this.notifications = notifications;
      return this;
    }

    public Builder issuance(Issuance issuance) {
      this.issuance = issuance;
      return this;
    }

    public Builder revokedSessions(RevokedSessionsTable revokedSessions) {
      this.revokedSessions = revokedSessions;
      return this;
    }

    /** A management server of its own; empty (the default) serves health and metrics on the HTTP port. */
    public Builder management(Optional<Management> management) {
      this.management = management;
      return this;
    }

    /** Where traces are exported and how many are recorded; by default {@link Tracing#unexported()}. */
    public Builder tracing(Tracing tracing) {
      this.tracing = tracing;
      return this;
    }

    public Config build() {
      return new Config(mode, httpHost, httpPort, httpInstances, staticDir, database, redis, logFormat, dataDir, auth,
          outboxRelay, serverless, payments, notifications, issuance, revokedSessions, management, tracing);
    }
  }
}
