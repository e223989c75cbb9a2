package dev.boxoffice.local.aws.sns;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.lambda.LambdaInvoker;
import dev.boxoffice.local.aws.mail.SmtpMailer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local SNS: the query-protocol endpoint on 127.0.0.1 (0 picks a free port), delivering to email subscriptions
 * through the mail catcher, to SQS queues, http(s) endpoints and Lambda functions. Topics and subscriptions persist in
 * {@code dataDir/sns-state.json}.
 */
public final class LocalSns {

  private static final Logger LOG = LoggerFactory.getLogger(LocalSns.class);

  private final Vertx vertx;
  private final String deployment;
  private final URI endpoint;

  private LocalSns(Vertx vertx, String deployment, URI endpoint) {
    this.vertx = vertx;
    this.deployment = deployment;
    this.endpoint = endpoint;
  }

  /**
   * What SNS delivers to: the mail catcher for email subscriptions, the Lambda functions, and the SQS endpoint of
   * queue subscriptions (null when there is no local SQS).
   */
  public record Endpoints(SmtpMailer mail, LambdaInvoker lambdas, URI sqs) {
  }

  /** Starts SNS knowing only the administrator's key, with AWS's quotas, as a service's own tests do. */
  public static Future<LocalSns> start(Vertx vertx, Path dataDir, int port, Endpoints endpoints) {
    return start(vertx, dataDir, port, endpoints, LocalIam.administratorOnly(LocalCredentials.ACCOUNT,
        LocalCredentials.REGION, LocalCredentials.ADMINISTRATOR), SnsQuotas.aws(LocalCredentials.REGION));
  }

  /** Starts SNS authorizing every call with {@code iam} and enforcing {@code quotas}. */
  public static Future<LocalSns> start(Vertx vertx, Path dataDir, int port, Endpoints endpoints, LocalIam iam,
      SnsQuotas quotas) {
    SnsVerticle sns = new SnsVerticle(dataDir, port, endpoints, iam, quotas);
    return vertx.deployVerticle(sns)
        .map(id -> new LocalSns(vertx, id, URI.create(sns.baseUrl())))
        .onSuccess(started -> LOG.info("Local SNS at {}", started.snsEndpoint()));
  }

  /** The endpoint to give SDK clients ({@code endpointOverride}) and the AWS CLI ({@code --endpoint-url}). */
  public URI snsEndpoint() {
    return endpoint;
  }

  public Future<Void> stop() {
    return vertx.undeploy(deployment);
  }
}
