package dev.boxoffice.backend.config;

import dev.boxoffice.backend.config.Config.Auth;
import dev.boxoffice.backend.config.Config.Database;
import dev.boxoffice.backend.config.Config.LogFormat;
import dev.boxoffice.backend.config.Config.Mode;
import dev.boxoffice.backend.config.Config.OutboxRelay;
import dev.boxoffice.backend.config.Config.Payments;
import dev.boxoffice.backend.config.Config.Redis;
import dev.boxoffice.backend.config.Config.Serverless;
import dev.boxoffice.codecs.session.SessionTokens;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a {@link Config} from environment variables, once, at start-up; a malformed or missing value stops start-up
 * with a sentence naming its variable. Every variable is documented with its default in the README; ECS sets them
 * from the task definition and fills the secrets from Secrets Manager.
 *
 * <p>Longer than most classes because most of its lines are this list of every variable, kept beside the code that
 * reads them.
 *
 * <p>{@code BOXOFFICE_MODE} defaults to {@code aws}: the image and a bare {@code java -jar} refuse to start without
 * the settings of {@link #REQUIRED_IN_AWS}, all missing ones named together, and serve no dev login. Only the local
 * stack and the tests ask for {@code local}, which binds {@code 127.0.0.1} unless {@code BOXOFFICE_HTTP_HOST} says
 * otherwise.
 *
 * <p>The database's users, made by {@code cloudformation/bootstrap-database.sh} (the local stack makes the same in its
 * PostgreSQL): {@code BOXOFFICE_DB_MIGRATION_USER} (default none) names the schema's owner, as whom the migrations
 * run, with {@code BOXOFFICE_DB_MIGRATION_PASSWORD} or, in ECS, the secret {@code BOXOFFICE_DB_MIGRATION_SECRET_ID};
 * the backend then serves as {@code BOXOFFICE_DB_USER} (password {@code BOXOFFICE_DB_PASSWORD} or the secret
 * {@code BOXOFFICE_DB_SECRET_ID}), a member of the {@code boxoffice_app} role (data, not schema). Unset: the backend
 * migrates and serves as {@code BOXOFFICE_DB_USER}.
 *
 * <p>Health and metrics:
 * <ul>
 *   <li>{@code BOXOFFICE_METRICS_PORT} (default {@code 9404} in aws mode, unset in local mode): the port of a server of
 *       its own for {@code /metrics} and the detailed readiness report, which the public port then no longer serves
 *       (its {@code /health/ready} answers the status alone, for the load balancer). Unset in local mode: all on the
 *       HTTP port. In aws mode it must differ from {@code BOXOFFICE_HTTP_PORT}.</li>
 *   <li>{@code BOXOFFICE_METRICS_HOST} (default {@code 127.0.0.1}): the address that server binds; in ECS the metrics
 *       collector beside the container scrapes it on loopback.</li>
 * </ul>
 *
 * <p>Sessions and the outbox relay:
 * <ul>
 *   <li>{@code BOXOFFICE_DATA_DIR} (default {@code .boxoffice}): the git-ignored local data folder; in local mode the
 *       generated session key pair lives in its {@code keys/} folder.</li>
 *   <li>{@code BOXOFFICE_SESSION_PUBLIC_KEY}: the Ed25519 public key (PEM, {@code BEGIN PUBLIC KEY}) that verifies
 *       session tokens; required in aws mode; in local mode, when unset, a generated key pair is used.</li>
 *   <li>{@code BOXOFFICE_SESSION_PRIVATE_KEY}: the matching private key (PEM, {@code BEGIN PRIVATE KEY}) for the
 *       local dev login only; refused in aws mode, where only the /verify-otp Lambda signs.</li>
 *   <li>{@code BOXOFFICE_ADMIN_EMAILS} (default empty): comma-separated, case-insensitive emails of the
 *       administrators, who approve requests to organize and revoke organizers.</li>
 *   <li>{@code BOXOFFICE_ORGANIZER_EMAILS} (default empty): comma-separated, case-insensitive emails granted the
 *       organizer role once, at a start where no organizer grant of theirs exists (a revocation is not undone).</li>
 *   <li>{@code BOXOFFICE_SESSION_ISSUER} (default {@code boxoffice}), {@code BOXOFFICE_SESSION_AUDIENCE} (default
 *       {@code boxoffice-api}): the {@code iss} and {@code aud} a token must carry.</li>
 *   <li>{@code BOXOFFICE_SESSION_TTL_MINUTES} (default 720): lifetime of a dev login token.</li>
 *   <li>{@code BOXOFFICE_SESSION_CLOCK_SKEW_SECONDS} (default 30): tolerance on {@code exp} and {@code iat}.</li>
 *   <li>{@code BOXOFFICE_OUTBOX_POLL_MS} (default 100): how often the relay looks for unsent outbox rows when
 *       idle.</li>
 *   <li>{@code BOXOFFICE_OUTBOX_BATCH_SIZE} (default 1000): outbox rows relayed per transaction.</li>
 * </ul>
 *
 * <p>Door staff and check-in:
 * <ul>
 *   <li>{@code BOXOFFICE_DOOR_STAFF_EMAILS} (default empty): comma-separated {@code staff@x:organizer@y} pairs, each
 *       granted once, as the organizer's door staff at all their events, at a start where no such grant exists.
 *       Organizers invite door staff in the application; this list only seeds a first start.</li>
 *   <li>{@code BOXOFFICE_TICKET_PUBLIC_KEY}: the Ed25519 public key (PEM) that verifies ticket tokens, the pair of
 *       the create-ticket Lambda's signing key; required in aws mode; in local mode, when unset, check-in answers 503
 *       {@code checkin_unavailable}.</li>
 * </ul>
 *
 * <p>Payments:
 * <ul>
 *   <li>{@code BOXOFFICE_PUBLIC_URL} (default {@code http://127.0.0.1:<BOXOFFICE_HTTP_PORT>}): where buyers reach the
 *       frontend; Stripe's hosted checkout sends them back to its hold pages. Required in aws mode with a Stripe
 *       secret.</li>
 *   <li>{@code BOXOFFICE_STRIPE_SECRET_ID} (default none): the Secrets Manager secret (name or ARN) holding the Stripe
 *       keys as JSON, {@code {"secretKey": "sk_...", "webhookSecrets": ["whsec_..."]}}, read at run time with the task
 *       role. The keys themselves are never in the environment.</li>
 *   <li>{@code BOXOFFICE_SECRETSMANAGER_ENDPOINT} (default none; refused in aws mode): a Secrets Manager endpoint
 *       override, the local one, where the local stack's backend processes read the Stripe secret.</li>
 *   <li>{@code BOXOFFICE_STRIPE_API_BASE} (default none; refused in aws mode): a Stripe API override, the local
 *       Stripe server, whose keys the local stack hands the backend in-process.</li>
 * </ul>
 *
 * <p>The serverless half:
 * <ul>
 *   <li>{@code BOXOFFICE_SERVERLESS_API_URL} (default none): the API Gateway base URL of the Lambda routes, handed to
 *       the browser by {@code GET /api/client-config}.</li>
 *   <li>{@code BOXOFFICE_IMAGE_BASE_URL} (default none): where browsers load event images by key (the CloudFront
 *       distribution in AWS, the local media server locally), handed out by {@code GET /api/client-config}.</li>
 *   <li>{@code BOXOFFICE_TICKET_ISSUANCE_STATE_MACHINE_ARN}, {@code BOXOFFICE_EVENT_ANNOUNCEMENT_STATE_MACHINE_ARN},
 *       {@code BOXOFFICE_TICKET_CANCELLATION_STATE_MACHINE_ARN} (default none): the state machines OrderPlaced,
 *       EventPublished and OrderCancelled start. Without any, no workflows verticle is deployed: events are still
 *       relayed on the event bus, nothing starts an execution and tickets' QR status stays pending; without the
 *       last, /get-qr-code keeps serving the QR codes of cancelled tickets.</li>
 *   <li>{@code BOXOFFICE_AWS_REGION} (default {@code AWS_REGION}, else {@code us-east-1}): the region of the Step
 *       Functions client.</li>
 *   <li>{@code BOXOFFICE_SFN_ENDPOINT} (default none; refused in aws mode): a Step Functions endpoint override, the
 *       local engine. The client signs with the credentials the backend is started with: the SDK's default chain
 *       (the ECS task role), or those the local stack hands it.</li>
 *   <li>{@code BOXOFFICE_NOTIFICATION_TOPIC_ARN} (default none): the SNS topic of the email bus, to which the backend
 *       publishes the buyer's notifications of HoldExpired, PaymentDeclined, PaymentRefunded and OrderCancelled.
 *       Without it those events are relayed and nobody is mailed.</li>
 *   <li>{@code BOXOFFICE_SNS_ENDPOINT} (default none; refused in aws mode): an SNS endpoint override, the local one;
 *       signed like Step Functions' calls.</li>
 *   <li>{@code BOXOFFICE_ISSUANCE_OUTCOME_QUEUE_URL} (default none): the SQS queue of the ticket-issuance chunks'
 *       outcomes, which the backend reads to set tickets ready or failed. Without it only the sweep of overdue batches
 *       (every few minutes) does.</li>
 *   <li>{@code BOXOFFICE_ISSUANCE_BATCHES_IN_FLIGHT} (default 4, 1–100): issuance batches issuing at once across the
 *       backends; times the state machine's MaxConcurrency (4) it must not exceed create-ticket's reserved
 *       concurrency (16).</li>
 *   <li>{@code BOXOFFICE_SQS_ENDPOINT} (default none; refused in aws mode): an SQS endpoint override, the local one;
 *       signed like Step Functions' calls.</li>
 *   <li>{@code BOXOFFICE_REVOKED_SESSIONS_TABLE}: the DynamoDB table of revoked sessions the Lambdas read, to which
 *       the backend copies each sign-out; required in aws mode; in local mode, when unset, only the backends refuse
 *       a revoked session.</li>
 *   <li>{@code BOXOFFICE_DYNAMODB_ENDPOINT} (default none; refused in aws mode): a DynamoDB endpoint override, the
 *       local one.</li>
 *   <li>{@code BOXOFFICE_QR_CODE_ORIGIN} (default none): the origin of the QR code URLs get-qr-code pre-signs (the
 *       media bucket's S3 origin), which the Content-Security-Policy lets pages load images from.</li>
 * </ul>
 *
 * <p>Traces (OpenTelemetry's standard names):
 * <ul>
 *   <li>{@code OTEL_EXPORTER_OTLP_ENDPOINT} (default none): the OTLP/HTTP endpoint spans are exported to, the ADOT
 *       collector beside the ECS task ({@code http://127.0.0.1:4318}). Without it nothing leaves the process; the
 *       trace headers still reach Step Functions.</li>
 *   <li>{@code OTEL_TRACES_SAMPLER_ARG} (default {@code 0.05} in aws mode, {@code 1} in local mode): the share of
 *       the traces starting at the backend that are recorded; a request whose trace header says {@code Sampled}
 *       keeps that decision.</li>
 * </ul>
 */
final class EnvironmentReader {

  private EnvironmentReader() {
  }

  /**
   * What a task in AWS cannot run without, each with why: a bare {@code java -jar} in aws mode (the default) names
   * every one that is missing at once rather than falling back to a developer's loopback servers.
   */
  private static final Map<String, String> REQUIRED_IN_AWS = requiredInAws();
  /** Where the metrics collector beside an ECS task scrapes: the port compute.yaml's task definitions also set. */
  private static final int DEFAULT_METRICS_PORT = 9404;

  private static Map<String, String> requiredInAws() {
    Map<String, String> required = new LinkedHashMap<>();
    required.put("BOXOFFICE_DB_HOST", "the RDS endpoint");
    required.put("BOXOFFICE_REDIS_URL", "the ElastiCache endpoint, rediss://");
    required.put("BOXOFFICE_SESSION_PUBLIC_KEY", "verifies session tokens");
    required.put("BOXOFFICE_TICKET_PUBLIC_KEY", "check-in verifies ticket tokens with it");
    required.put("BOXOFFICE_PUBLIC_URL", "where buyers reach the frontend");
    required.put("BOXOFFICE_REVOKED_SESSIONS_TABLE", "the Lambdas learn sign-outs from it");
    return Collections.unmodifiableMap(required);
  }

  static Config read(Map<String, String> env) {
    Reader read = new Reader(env);
    Mode mode = read.enumOf("BOXOFFICE_MODE", Mode.AWS, Mode.class);
    if (mode == Mode.AWS) {
      requireAwsSettings(read);
    }
    String sslMode = read.string("BOXOFFICE_DB_SSL_MODE", mode == Mode.AWS ? "require" : "disable");
    if (!sslMode.matches("disable|require|verify-full")) {
      throw new IllegalArgumentException("BOXOFFICE_DB_SSL_MODE must be disable, require or verify-full, not "
          + sslMode);
    }
    return Config.builder()
        .mode(mode)
        .http(read.string("BOXOFFICE_HTTP_HOST", mode == Mode.AWS ? "0.0.0.0" : "127.0.0.1"), read.integer("BOXOFFICE_HTTP_PORT", 8080, 0, 65535))
        .httpInstances(read.integer("BOXOFFICE_HTTP_INSTANCES", Runtime.getRuntime().availableProcessors(), 1, 256))
        .staticDir(read.path("BOXOFFICE_STATIC_DIR", "frontend-static"))
        .database(new Database(
            read.string("BOXOFFICE_DB_HOST", "127.0.0.1"),
            read.integer("BOXOFFICE_DB_PORT", 5432, 1, 65535),
            read.string("BOXOFFICE_DB_NAME", "boxoffice"),
            read.string("BOXOFFICE_DB_USER", "boxoffice"),
            read.string("BOXOFFICE_DB_PASSWORD", ""),
            sslMode,
            read.optional("BOXOFFICE_DB_SSL_ROOT_CERT").map(Path::of),
            read.integer("BOXOFFICE_DB_POOL_SIZE", 16, 1, 500),
            migrator(read)))
        .redis(new Redis(
            read.redisUrl("BOXOFFICE_REDIS_URL", "redis://127.0.0.1:6379"),
            read.optional("BOXOFFICE_REDIS_AUTH_TOKEN"),
            read.integer("BOXOFFICE_REDIS_POOL_SIZE", 16, 1, 500)))
        .logFormat(read.enumOf("BOXOFFICE_LOG_FORMAT", LogFormat.JSON, LogFormat.class))
        .dataDir(read.path("BOXOFFICE_DATA_DIR", ".boxoffice"))
        .auth(auth(mode, read))
        .outboxRelay(new OutboxRelay(
            Duration.ofMillis(read.integer("BOXOFFICE_OUTBOX_POLL_MS", 100, 1, 60_000)),
            read.integer("BOXOFFICE_OUTBOX_BATCH_SIZE", 1000, 1, 10_000)))
        .serverless(serverless(mode, read))
        .payments(payments(mode, read))
        .notifications(notifications(mode, read))
        .issuance(issuance(mode, read))
        .revokedSessions(revokedSessions(mode, read))
        .management(management(mode, read))
        .tracing(tracing(mode, read))
        .build();
  }

  private static Optional<Config.Management> management(Mode mode, Reader read) {
    int httpPort = read.integer("BOXOFFICE_HTTP_PORT", 8080, 0, 65535);
    Optional<Integer> port = read.optional("BOXOFFICE_METRICS_PORT")
        .map(ignored -> read.integer("BOXOFFICE_METRICS_PORT", 0, 0, 65535))
        .or(() -> mode == Mode.AWS ? Optional.of(DEFAULT_METRICS_PORT) : Optional.empty());
    if (mode == Mode.AWS && httpPort != 0 && port.get() == httpPort) {
      throw new IllegalArgumentException("BOXOFFICE_METRICS_PORT must differ from BOXOFFICE_HTTP_PORT in aws mode:"
          + " the load balancer would route /metrics to the internet");
    }
    return port.map(metricsPort -> new Config.Management(read.string("BOXOFFICE_METRICS_HOST", "127.0.0.1"),
        metricsPort));
  }

  private static Config.Tracing tracing(Mode mode, Reader read) {
    Optional<URI> endpoint = read.httpUrl("OTEL_EXPORTER_OTLP_ENDPOINT").map(URI::create);
    String ratio = read.string("OTEL_TRACES_SAMPLER_ARG", mode == Mode.AWS ? "0.05" : "1");
    try {
      return new Config.Tracing(endpoint, Double.parseDouble(ratio));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("OTEL_TRACES_SAMPLER_ARG must be a ratio between 0 and 1, not '" + ratio
          + "'");
    }
  }

  private static void requireAwsSettings(Reader read) {
    List<String> missing = REQUIRED_IN_AWS.entrySet().stream()
        .filter(setting -> read.optional(setting.getKey()).isEmpty())
        .map(setting -> setting.getKey() + " (" + setting.getValue() + ")")
        .toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("aws mode (the default; BOXOFFICE_MODE=local is for a developer's machine)"
          + " needs " + String.join(", ", missing));
    }
  }

  private static Config.BuyerNotifications notifications(Mode mode, Reader read) {
    Optional<URI> snsEndpoint = read.httpUrl("BOXOFFICE_SNS_ENDPOINT").map(URI::create);
    if (mode == Mode.AWS && snsEndpoint.isPresent()) {
      throw new IllegalArgumentException("BOXOFFICE_SNS_ENDPOINT is refused in aws mode: there the backend talks to"
          + " AWS's own SNS endpoint");
    }
    Optional<String> topicArn = read.optional("BOXOFFICE_NOTIFICATION_TOPIC_ARN");
    if (topicArn.isPresent() && !topicArn.get().matches("arn:[a-z-]+:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}")) {
      throw new IllegalArgumentException("BOXOFFICE_NOTIFICATION_TOPIC_ARN must be an SNS topic ARN such as"
          + " arn:aws:sns:us-east-1:123456789012:boxoffice-notifications");
    }
    return new Config.BuyerNotifications(topicArn, snsEndpoint);
  }

  private static Config.Issuance issuance(Mode mode, Reader read) {
    Optional<URI> sqsEndpoint = read.httpUrl("BOXOFFICE_SQS_ENDPOINT").map(URI::create);
    if (mode == Mode.AWS && sqsEndpoint.isPresent()) {
      throw new IllegalArgumentException("BOXOFFICE_SQS_ENDPOINT is refused in aws mode: there the backend talks to"
          + " AWS's own SQS endpoint");
    }
    return new Config.Issuance(read.httpUrl("BOXOFFICE_ISSUANCE_OUTCOME_QUEUE_URL"), sqsEndpoint,
        read.integer("BOXOFFICE_ISSUANCE_BATCHES_IN_FLIGHT", Config.Issuance.DEFAULT_BATCHES_IN_FLIGHT, 1, 100));
  }

  /** The migrations' user, when the backend serves as another; its password may come later (RuntimeSecrets). */
  private static Optional<Config.Credentials> migrator(Reader read) {
    return read.optional("BOXOFFICE_DB_MIGRATION_USER").map(user -> {
      if (user.equals(read.string("BOXOFFICE_DB_USER", "boxoffice"))) {
        throw new IllegalArgumentException("BOXOFFICE_DB_MIGRATION_USER must differ from BOXOFFICE_DB_USER: the"
            + " backend serves as a user that cannot change the schema");
      }
      return new Config.Credentials(user, read.string("BOXOFFICE_DB_MIGRATION_PASSWORD", ""));
    });
  }

  private static Config.RevokedSessionsTable revokedSessions(Mode mode, Reader read) {
    Optional<URI> endpoint = read.httpUrl("BOXOFFICE_DYNAMODB_ENDPOINT").map(URI::create);
    if (mode == Mode.AWS && endpoint.isPresent()) {
      throw new IllegalArgumentException("BOXOFFICE_DYNAMODB_ENDPOINT is refused in aws mode: there the backend talks"
          + " to AWS's own DynamoDB endpoint");
    }
    Optional<String> table = read.optional("BOXOFFICE_REVOKED_SESSIONS_TABLE");
    if (table.isPresent() && !table.get().matches("[A-Za-z0-9_.-]{3,255}")) {
      throw new IllegalArgumentException("BOXOFFICE_REVOKED_SESSIONS_TABLE must be a DynamoDB table name, not '"
          + table.get() + "'");
    }
    return new Config.RevokedSessionsTable(table, endpoint);
  }

  private static Payments payments(Mode mode, Reader read) {
    Optional<String> apiBase = read.httpUrl("BOXOFFICE_STRIPE_API_BASE");
    if (mode == Mode.AWS && apiBase.isPresent()) {
      throw new IllegalArgumentException("BOXOFFICE_STRIPE_API_BASE is refused in aws mode: there the backend talks"
          + " to Stripe's own API");
    }
    Optional<String> publicUrl = read.httpUrl("BOXOFFICE_PUBLIC_URL");
    Optional<String> secretId = read.optional("BOXOFFICE_STRIPE_SECRET_ID");
    int port = read.integer("BOXOFFICE_HTTP_PORT", 8080, 0, 65535);
    Optional<URI> secretsManager = read.httpUrl("BOXOFFICE_SECRETSMANAGER_ENDPOINT").map(URI::create);
    if (mode == Mode.AWS && secretsManager.isPresent()) {
      throw new IllegalArgumentException("BOXOFFICE_SECRETSMANAGER_ENDPOINT is refused in aws mode: there the backend"
          + " reads AWS's own Secrets Manager");
    }
    return new Payments(publicUrl.orElse("http://127.0.0.1:" + port), secretId, apiBase, secretsManager);
  }

  private static Serverless serverless(Mode mode, Reader read) {
    Optional<String> ticketPublicKey = read.optional("BOXOFFICE_TICKET_PUBLIC_KEY");
    Optional<URI> sfnEndpoint = read.httpUrl("BOXOFFICE_SFN_ENDPOINT").map(URI::create);
    if (mode == Mode.AWS && sfnEndpoint.isPresent()) {
      throw new IllegalArgumentException("BOXOFFICE_SFN_ENDPOINT is refused in aws mode: there the backend talks to"
          + " AWS's own Step Functions endpoint");
    }
    return new Serverless(
        read.httpUrl("BOXOFFICE_SERVERLESS_API_URL"),
        ticketPublicKey,
        sfnEndpoint,
        read.optional("BOXOFFICE_AWS_REGION").or(() -> read.optional("AWS_REGION")).orElse("us-east-1"),
        read.optional("BOXOFFICE_TICKET_ISSUANCE_STATE_MACHINE_ARN"),
        read.optional("BOXOFFICE_EVENT_ANNOUNCEMENT_STATE_MACHINE_ARN"),
        read.httpUrl("BOXOFFICE_IMAGE_BASE_URL"),
        read.optional("BOXOFFICE_TICKET_CANCELLATION_STATE_MACHINE_ARN"),
        read.httpUrl("BOXOFFICE_QR_CODE_ORIGIN"));
  }

  private static Auth auth(Mode mode, Reader read) {
    Optional<String> publicKey = read.optional("BOXOFFICE_SESSION_PUBLIC_KEY");
    Optional<String> privateKey = read.optional("BOXOFFICE_SESSION_PRIVATE_KEY");
    if (mode == Mode.AWS && privateKey.isPresent()) {
      throw new IllegalArgumentException("BOXOFFICE_SESSION_PRIVATE_KEY is refused in aws mode: only the /verify-otp"
          + " Lambda signs sessions there, and the dev login it serves exists in local mode only");
    }
    return new Auth(
        publicKey,
        privateKey,
        Arrays.stream(read.string("BOXOFFICE_ORGANIZER_EMAILS", "").split(",")).collect(Collectors.toSet()),
        read.string("BOXOFFICE_SESSION_ISSUER", SessionTokens.DEFAULT_ISSUER),
        read.string("BOXOFFICE_SESSION_AUDIENCE", SessionTokens.DEFAULT_AUDIENCE),
        Duration.ofMinutes(read.integer("BOXOFFICE_SESSION_TTL_MINUTES", 720, 1, 60 * 24 * 30)),
        Duration.ofSeconds(read.integer("BOXOFFICE_SESSION_CLOCK_SKEW_SECONDS", 30, 0, 600)),
        doorStaff(read.string("BOXOFFICE_DOOR_STAFF_EMAILS", "")),
        Arrays.stream(read.string("BOXOFFICE_ADMIN_EMAILS", "").split(",")).collect(Collectors.toSet()));
  }

  /** {@code staff@x:organizer@y,...}: each staff address with the organizers it works for. */
  private static Map<String, Set<String>> doorStaff(String list) {
    Map<String, Set<String>> staff = new HashMap<>();
    for (String entry : list.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] pair = entry.split(":", -1);
      if (pair.length != 2 || pair[0].isBlank() || pair[1].isBlank()) {
        throw new IllegalArgumentException("BOXOFFICE_DOOR_STAFF_EMAILS entries must be staff@x:organizer@y, not '"
            + entry.trim() + "'");
      }
      staff.computeIfAbsent(Config.normalizedEmail(pair[0]), ignored -> new HashSet<>())
          .add(Config.normalizedEmail(pair[1]));
    }
    return staff;
  }

  private record Reader(Map<String, String> env) {

    Optional<String> optional(String name) {
      return Optional.ofNullable(env.get(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    String string(String name, String fallback) {
      return optional(name).orElse(fallback);
    }

    /** An absolute, normalized path. */
    Path path(String name, String fallback) {
      String value = string(name, fallback);
      try {
        return Path.of(value).toAbsolutePath().normalize();
      } catch (InvalidPathException e) {
        throw new IllegalArgumentException(name + " must be a path, not '" + value + "'");
      }
    }

    /** An http(s) URL with a host, as given. */
    Optional<String> httpUrl(String name) {
      return optional(name).map(value -> {
        if (!hasScheme(value, "http", "https")) {
          throw new IllegalArgumentException(name + " must be an http(s) URL, not '" + value + "'");
        }
        return value;
      });
    }

    /** A Redis connection string as the Vert.x client reads it: redis://, rediss:// (TLS) or unix://. */
    String redisUrl(String name, String fallback) {
      String value = string(name, fallback);
      if (!hasScheme(value, "redis", "rediss", "unix")) {
        throw new IllegalArgumentException(name + " must be a redis:// or rediss:// URL, not '" + value + "'");
      }
      return value;
    }

    private static boolean hasScheme(String value, String... schemes) {
      try {
        URI url = new URI(value);
        return Arrays.asList(schemes).contains(url.getScheme())
            && (url.getHost() != null || "unix".equals(url.getScheme()));
      } catch (URISyntaxException e) {
        return false;
      }
    }

    int integer(String name, int fallback, int min, int max) {
      Optional<String> raw = optional(name);
      if (raw.isEmpty()) {
        return fallback;
      }
      try {
        int value = Integer.parseInt(raw.get());
        if (value < min || value > max) {
          throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + " must be a whole number, not '" + raw.get() + "'");
      }
    }

    <E extends Enum<E>> E enumOf(String name, E fallback, Class<E> type) {
      Optional<String> raw = optional(name);
      if (raw.isEmpty()) {
        return fallback;
      }
      try {
        return Enum.valueOf(type, raw.get().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + " must be one of "
            + Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", not '" + raw.get() + "'");
      }
    }
  }
}
