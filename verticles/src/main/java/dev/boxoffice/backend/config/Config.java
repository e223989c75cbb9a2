package dev.boxoffice.backend.config;

import dev.boxoffice.codecs.session.SessionTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the backend reads from its environment, read once at start-up. Every variable is documented with its
 * default in the README; ECS sets them from the task definition and fills the secrets from Secrets Manager.
 *
 * <p>Sessions and the outbox relay:
 * <ul>
 *   <li>{@code BOXOFFICE_DATA_DIR} (default {@code .boxoffice}): the git-ignored local data folder; in local mode the
 *       generated session key pair lives in its {@code keys/} folder.</li>
 *   <li>{@code BOXOFFICE_SESSION_PUBLIC_KEY}: the Ed25519 public key (PEM, {@code BEGIN PUBLIC KEY}) that verifies
 *       session tokens; required in aws mode; in local mode, when unset, a generated key pair is used.</li>
 *   <li>{@code BOXOFFICE_SESSION_PRIVATE_KEY}: the matching private key (PEM, {@code BEGIN PRIVATE KEY}) for the
 *       local dev login only; refused in aws mode, where only the /verify-otp Lambda signs.</li>
 *   <li>{@code BOXOFFICE_ORGANIZER_EMAILS} (default empty): comma-separated, case-insensitive emails that get the
 *       organizer role at dev login.</li>
 *   <li>{@code BOXOFFICE_SESSION_ISSUER} (default {@code boxoffice}), {@code BOXOFFICE_SESSION_AUDIENCE} (default
 *       {@code boxoffice-api}): the {@code iss} and {@code aud} a token must carry.</li>
 *   <li>{@code BOXOFFICE_SESSION_TTL_MINUTES} (default 720): lifetime of a dev login token.</li>
 *   <li>{@code BOXOFFICE_SESSION_CLOCK_SKEW_SECONDS} (default 30): tolerance on {@code exp} and {@code iat}.</li>
 *   <li>{@code BOXOFFICE_OUTBOX_POLL_MS} (default 100): how often the relay looks for unsent outbox rows when
 *       idle.</li>
 *   <li>{@code BOXOFFICE_OUTBOX_BATCH_SIZE} (default 1000): outbox rows relayed per transaction.</li>
 * </ul>
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
    OutboxRelay outboxRelay) {

  public enum Mode { LOCAL, AWS }

  public enum LogFormat { JSON, TEXT }

  /** PostgreSQL connection settings; {@code sslMode} is libpq's: disable, require or verify-full. */
  public record Database(String host, int port, String name, String user, String password, String sslMode,
                         Optional<Path> sslRootCert, int poolSize) {

    public String jdbcUrl() {
      String ssl = switch (sslMode) {
        case "disable" -> "sslmode=disable";
        case "require" -> "sslmode=require";
        default -> "sslmode=verify-full" + sslRootCert.map(cert -> "&sslrootcert=" + cert).orElse("");
      };
      return "jdbc:postgresql://" + host + ":" + port + "/" + name + "?" + ssl;
    }
  }

  /** Redis settings; a {@code rediss://} URL turns TLS on, as ElastiCache in-transit encryption needs. */
  public record Redis(String url, Optional<String> authToken, int poolSize) {

    public boolean tls() {
      return url.startsWith("rediss://");
    }
  }

  /** Session token settings; PEM texts as given, parsed by {@code SessionKeys.load}. */
  public record Auth(Optional<String> publicKeyPem, Optional<String> privateKeyPem, Set<String> organizerEmails,
                     String issuer, String audience, Duration tokenLifetime, Duration clockSkew) {

    public Auth {
      organizerEmails = organizerEmails.stream().map(email -> email.trim().toLowerCase(Locale.ROOT))
          .filter(email -> !email.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    public boolean isOrganizer(String email) {
      return organizerEmails.contains(email.trim().toLowerCase(Locale.ROOT));
    }
  }

  /** How the outbox relay polls: the idle interval between looks and the rows relayed per transaction. */
  public record OutboxRelay(Duration pollInterval, int batchSize) {
  }

  public static Config fromEnvironment(Map<String, String> env) {
    Reader read = new Reader(env);
    Mode mode = read.enumOf("BOXOFFICE_MODE", Mode.LOCAL, Mode.class);
    String sslMode = read.string("BOXOFFICE_DB_SSL_MODE", mode == Mode.AWS ? "require" : "disable");
    if (!sslMode.matches("disable|require|verify-full")) {
      throw new IllegalArgumentException("BOXOFFICE_DB_SSL_MODE must be disable, require or verify-full, not " + sslMode);
    }
    return new Config(
        mode,
        read.string("BOXOFFICE_HTTP_HOST", "0.0.0.0"),
        read.integer("BOXOFFICE_HTTP_PORT", 8080, 0, 65535),
        read.integer("BOXOFFICE_HTTP_INSTANCES", Runtime.getRuntime().availableProcessors(), 1, 256),
        Path.of(read.string("BOXOFFICE_STATIC_DIR", "frontend-static")).toAbsolutePath().normalize(),
        new Database(
            read.string("BOXOFFICE_DB_HOST", "127.0.0.1"),
            read.integer("BOXOFFICE_DB_PORT", 5432, 1, 65535),
            read.string("BOXOFFICE_DB_NAME", "boxoffice"),
            read.string("BOXOFFICE_DB_USER", "boxoffice"),
            read.string("BOXOFFICE_DB_PASSWORD", ""),
            sslMode,
            read.optional("BOXOFFICE_DB_SSL_ROOT_CERT").map(Path::of),
            read.integer("BOXOFFICE_DB_POOL_SIZE", 16, 1, 500)),
        new Redis(
            read.string("BOXOFFICE_REDIS_URL", "redis://127.0.0.1:6379"),
            read.optional("BOXOFFICE_REDIS_AUTH_TOKEN"),
            read.integer("BOXOFFICE_REDIS_POOL_SIZE", 16, 1, 500)),
        read.enumOf("BOXOFFICE_LOG_FORMAT", LogFormat.JSON, LogFormat.class),
        Path.of(read.string("BOXOFFICE_DATA_DIR", ".boxoffice")).toAbsolutePath().normalize(),
        auth(mode, read),
        new OutboxRelay(
            Duration.ofMillis(read.integer("BOXOFFICE_OUTBOX_POLL_MS", 100, 1, 60_000)),
            read.integer("BOXOFFICE_OUTBOX_BATCH_SIZE", 1000, 1, 10_000)));
  }

  private static Auth auth(Mode mode, Reader read) {
    Optional<String> publicKey = read.optional("BOXOFFICE_SESSION_PUBLIC_KEY");
    Optional<String> privateKey = read.optional("BOXOFFICE_SESSION_PRIVATE_KEY");
    if (mode == Mode.AWS && privateKey.isPresent()) {
      throw new IllegalArgumentException("BOXOFFICE_SESSION_PRIVATE_KEY is refused in aws mode: only the /verify-otp"
          + " Lambda signs sessions there, and the dev login it serves exists in local mode only");
    }
    if (mode == Mode.AWS && publicKey.isEmpty()) {
      throw new IllegalArgumentException("BOXOFFICE_SESSION_PUBLIC_KEY is required in aws mode");
    }
    return new Auth(
        publicKey,
        privateKey,
        Arrays.stream(read.string("BOXOFFICE_ORGANIZER_EMAILS", "").split(",")).collect(Collectors.toSet()),
        read.string("BOXOFFICE_SESSION_ISSUER", SessionTokens.DEFAULT_ISSUER),
        read.string("BOXOFFICE_SESSION_AUDIENCE", SessionTokens.DEFAULT_AUDIENCE),
        Duration.ofMinutes(read.integer("BOXOFFICE_SESSION_TTL_MINUTES", 720, 1, 60 * 24 * 30)),
        Duration.ofSeconds(read.integer("BOXOFFICE_SESSION_CLOCK_SKEW_SECONDS", 30, 0, 600)));
  }

  public Config withDatabase(Database database) {
    return new Config(mode, httpHost, httpPort, httpInstances, staticDir, database, redis, logFormat, dataDir, auth,
        outboxRelay);
  }

  public Config withRedis(Redis redis) {
    return new Config(mode, httpHost, httpPort, httpInstances, staticDir, database, redis, logFormat, dataDir, auth,
        outboxRelay);
  }

  public Config withHttp(String host, int port) {
    return new Config(mode, host, port, httpInstances, staticDir, database, redis, logFormat, dataDir, auth,
        outboxRelay);
  }

  public Config withStaticDir(Path dir) {
    return new Config(mode, httpHost, httpPort, httpInstances, dir, database, redis, logFormat, dataDir, auth,
        outboxRelay);
  }

  public Config withDataDir(Path dir) {
    return new Config(mode, httpHost, httpPort, httpInstances, staticDir, database, redis, logFormat, dir, auth,
        outboxRelay);
  }

  public Config withAuth(Auth auth) {
    return new Config(mode, httpHost, httpPort, httpInstances, staticDir, database, redis, logFormat, dataDir, auth,
        outboxRelay);
  }

  public Config withOutboxRelay(OutboxRelay outboxRelay) {
    return new Config(mode, httpHost, httpPort, httpInstances, staticDir, database, redis, logFormat, dataDir, auth,
        outboxRelay);
  }

  private record Reader(Map<String, String> env) {

    Optional<String> optional(String name) {
      return Optional.ofNullable(env.get(name)).map(String::trim).filter(value -> !value.isEmpty());
    }

    String string(String name, String fallback) {
      return optional(name).orElse(fallback);
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
