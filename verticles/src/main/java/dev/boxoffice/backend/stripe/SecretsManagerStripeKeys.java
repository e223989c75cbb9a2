package dev.boxoffice.backend.stripe;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The Stripe keys from a Secrets Manager secret, fetched at run time with the task role, never through the task's
 * environment. The secret is a JSON object: {@code {"secretKey": "sk_live_...", "webhookSecrets": ["whsec_..."]}}.
 * It is read once at start-up (the backend does not start without it) and again every {@link #REFRESH} on a worker
 * thread, so a rotated key is picked up without a restart; {@link #get()} never blocks.
 */
public final class SecretsManagerStripeKeys implements Supplier<StripeKeys>, AutoCloseable {

  static final Duration REFRESH = Duration.ofMinutes(10);
  private static final Logger LOG = LoggerFactory.getLogger(SecretsManagerStripeKeys.class);

  private final SecretsManagerClient client;
  private final String secretId;
  private volatile StripeKeys current;

  private SecretsManagerStripeKeys(SecretsManagerClient client, String secretId) {
    this.client = client;
    this.secretId = secretId;
    this.current = fetch();
  }

  /** Blocks for the first read: call it from start-up, never from an event loop. */
  public static SecretsManagerStripeKeys load(Vertx vertx, String secretId, String region,
                                              AwsCredentialsProvider credentials, Optional<URI> endpoint) {
    var builder = SecretsManagerClient.builder()
        .region(Region.of(region))
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create());
    endpoint.ifPresent(builder::endpointOverride);
    SecretsManagerClient client = builder.build();
    SecretsManagerStripeKeys keys = new SecretsManagerStripeKeys(client, secretId);
    vertx.setPeriodic(REFRESH.toMillis(), timer -> vertx.executeBlocking(keys::fetch, false)
        .onSuccess(fresh -> keys.current = fresh)
        .onFailure(failure -> LOG.warn("could not refresh the Stripe keys from {} (keeping the last ones): {}",
            secretId, failure.toString())));
    return keys;
  }

  @Override
  public StripeKeys get() {
    return current;
  }

  static StripeKeys parse(String secret) {
    JsonObject json = new JsonObject(secret);
    JsonArray webhookSecrets = json.getJsonArray("webhookSecrets", new JsonArray());
    List<String> signing = webhookSecrets.stream().map(String::valueOf).toList();
    return new StripeKeys(json.getString("secretKey", ""), signing);
  }

  private StripeKeys fetch() {
    return parse(client.getSecretValue(request -> request.secretId(secretId)).secretString());
  }

  @Override
  public void close() {
    client.close();
  }
}
