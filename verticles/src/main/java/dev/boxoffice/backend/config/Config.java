package dev.boxoffice.backend.config;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the backend reads from its environment, read once at start-up. Every variable is documented with its
 * default in the README; ECS sets them from the task definition and fills the secrets from Secrets Manager.
 */
public record Config(
    Mode mode,
    String httpHost,
    int httpPort,
    int httpInstances,
    Path staticDir,
    Database database,
    Redis redis,
    LogFormat logFormat) {

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
        read.enumOf("BOXOFFICE_LOG_FORMAT", LogFormat.JSON, LogFormat.class));
  }

  public Config withDatabase(Database database) {
    return new Config(mode, httpHost, httpPort, httpInstances, staticDir, database, redis, logFormat);
  }

  public Config withRedis(Redis redis) {
    return new Config(mode, httpHost, httpPort, httpInstances, staticDir, database, redis, logFormat);
  }

  public Config withHttp(String host, int port) {
    return new Config(mode, host, port, httpInstances, staticDir, database, redis, logFormat);
  }

  public Config withStaticDir(Path dir) {
    return new Config(mode, httpHost, httpPort, httpInstances, dir, database, redis, logFormat);
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
            + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", not '" + raw.get() + "'");
      }
    }
  }
}
