package dev.boxoffice.local.aws.secrets;

import dev.boxoffice.local.aws.iam.LocalIam;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;

/**
 * The local Secrets Manager and SSM Parameter Store: one endpoint for both SDK clients ({@link #endpoint()}), and the
 * {@link #store()} the account's owner seeds, as an operator creates the secrets before the first deployment.
 */
public final class LocalSecretsManager {

  private final SecretStore store;
  private final URI endpoint;

  private LocalSecretsManager(SecretStore store, URI endpoint) {
    this.store = store;
    this.endpoint = endpoint;
  }

  /** Listens on {@code port} of 127.0.0.1 (0 picks a free one) on {@code vertx}, checking calls with {@code iam}. */
  public static Future<LocalSecretsManager> start(Vertx vertx, int port, LocalIam iam) {
    SecretStore store = new SecretStore(iam.account(), iam.region());
    SecretsFront front = new SecretsFront(iam, store, port);
    return vertx.deployVerticle(front).map(id -> new LocalSecretsManager(store,
        URI.create("http://127.0.0.1:" + front.actualPort())));
  }

  public SecretStore store() {
    return store;
  }

  public URI endpoint() {
    return endpoint;
  }
}
