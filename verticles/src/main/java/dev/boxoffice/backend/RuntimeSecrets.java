package dev.boxoffice.backend;

import dev.boxoffice.backend.config.Config;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The database passwords and the Redis auth token, read from Secrets Manager at start-up with the task role rather
 * than injected by ECS into the container's environment, where anyone who can exec into the task or read its
 * process environment would see them. {@code BOXOFFICE_DB_SECRET_ID} names the secret (JSON with {@code password}) of
 * the user the backend serves as, {@code BOXOFFICE_DB_MIGRATION_SECRET_ID} the one of the schema's owner, as whom the
 * migrations run (never RDS's master secret, which no task may read), {@code BOXOFFICE_REDIS_AUTH_SECRET_ID} the
 * secret whose string is the token; unset, the configuration is used as it is. Blocking: called before Vert.x starts.
 */
final class RuntimeSecrets {

  static final String DB_SECRET_ID = "BOXOFFICE_DB_SECRET_ID";
  static final String DB_MIGRATION_SECRET_ID = "BOXOFFICE_DB_MIGRATION_SECRET_ID";
  static final String REDIS_AUTH_SECRET_ID = "BOXOFFICE_REDIS_AUTH_SECRET_ID";

  private RuntimeSecrets() {
  }

  static Config resolve(Config config, Map<String, String> env, AwsCredentialsProvider credentials) {
    Optional<String> dbSecret = optional(env, DB_SECRET_ID);
    Optional<String> migrationSecret = optional(env, DB_MIGRATION_SECRET_ID);
    Optional<String> redisSecret = optional(env, REDIS_AUTH_SECRET_ID);
    if (dbSecret.isEmpty() && migrationSecret.isEmpty() && redisSecret.isEmpty()) {
      return config;
    }
    var builder = SecretsManagerClient.builder()
        .region(Region.of(config.serverless().region()))
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create());
    config.payments().secretsManagerEndpoint().ifPresent(builder::endpointOverride);
    try (SecretsManagerClient secrets = builder.build()) {
      Config resolved = config;
      Config.Database db = config.database();
      String password = dbSecret.isPresent() ? password(secrets, dbSecret.get()) : db.password();
      Optional<Config.Credentials> migrator = db.migrator();
      if (migrationSecret.isPresent()) {
        Config.Credentials owner = migrator.orElseThrow(() -> new IllegalStateException(DB_MIGRATION_SECRET_ID
            + " needs BOXOFFICE_DB_MIGRATION_USER"));
        migrator = Optional.of(new Config.Credentials(owner.user(), password(secrets, migrationSecret.get())));
      }
      resolved = resolved.withDatabase(db.withPasswords(password, migrator));
      if (redisSecret.isPresent()) {
        Config.Redis redis = config.redis();
        resolved = resolved.withRedis(new Config.Redis(redis.url(), Optional.of(read(secrets, redisSecret.get())),
            redis.poolSize()));
      }
      return resolved;
    }
  }

  private static String password(SecretsManagerClient secrets, String secretId) {
    String password = new JsonObject(read(secrets, secretId)).getString("password");
    if (password == null) {
      throw new IllegalStateException("the secret " + secretId + " has no password");
    }
    return password;
  }

  private static String read(SecretsManagerClient secrets, String secretId) {
    return secrets.getSecretValue(request -> request.secretId(secretId)).secretString();
  }

  private static Optional<String> optional(Map<String, String> env, String name) {
    return Optional.ofNullable(env.get(name)).map(String::trim).filter(value -> !value.isEmpty());
  }
}
