package dev.boxoffice.local.aws.sqs;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.servers.LoopbackPorts;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQS on 127.0.0.1: ElasticMQ's server embedded (both SQS wire protocols, the JSON one current SDKs speak and the
 * query one, with SQS's limits, visibility timeouts, long polling and redrive policies) on a loopback port of its own,
 * behind {@link SqsFront}, which checks every call's signature and asks the local IAM, as every local endpoint does.
 * Queue URLs and ARNs are of the local account and region, the URLs naming the front. Queues and messages live in
 * memory: a restart of the stack starts them empty.
 */
public final class LocalSqs implements AutoCloseable {

  /** The account of queue URLs and ARNs, the local account every service here uses. */
  public static final String ACCOUNT_ID = "000000000000";

  private static final Logger LOG = LoggerFactory.getLogger(LocalSqs.class);
  private static final String LOOPBACK = "127.0.0.1";
  private static final long START_TIMEOUT_SECONDS = 60;

  private final SQSRestServer server;
  private final Vertx frontVertx;
  private final URI endpoint;

  private LocalSqs(SQSRestServer server, Vertx frontVertx, URI endpoint) {
    this.server = server;
    this.frontVertx = frontVertx;
    this.endpoint = endpoint;
  }

  /** Starts SQS knowing only the administrator's key, as a service's own tests do. */
  public static LocalSqs start(int port) {
    return start(port, LocalIam.administratorOnly(LocalCredentials.ACCOUNT, LocalCredentials.REGION,
        LocalCredentials.ADMINISTRATOR));
  }

  /**
   * Starts ElasticMQ and its front on {@code port} of the loopback interface, authorizing every call with
   * {@code iam}; returns once both accept connections.
   */
  public static LocalSqs start(int port, LocalIam iam) {
    int elasticMqPort = LoopbackPorts.free();
    SQSRestServer server = SQSRestServerBuilder
        .withInterface(LOOPBACK)
        .withPort(elasticMqPort)
        .withServerAddress(new NodeAddress("http", LOOPBACK, port, ""))
        .withAWSRegion(LocalCredentials.REGION)
        .withAWSAccountId(ACCOUNT_ID)
        .start();
    Vertx frontVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    try {
      server.waitUntilStarted();
      frontVertx.deployVerticle(new SqsFront(iam, port, elasticMqPort)).await(START_TIMEOUT_SECONDS,
          TimeUnit.SECONDS);
    } catch (RuntimeException | Error e) {
      stopQuietly(server, frontVertx);
      throw e;
    } catch (Exception e) {
      stopQuietly(server, frontVertx);
      throw new IllegalStateException("the local SQS front did not start", e);
    }
    URI endpoint = URI.create("http://" + LOOPBACK + ":" + port);
    LOG.info("Local SQS at {} (ElasticMQ behind it on port {})", endpoint, elasticMqPort);
    return new LocalSqs(server, frontVertx, endpoint);
  }

  /** The ARN of the local queue {@code name}. */
  public static String queueArn(String name) {
    return "arn:aws:sqs:" + LocalCredentials.REGION + ":" + ACCOUNT_ID + ":" + name;
  }

  /** The queue name of a queue ARN. */
  public static String queueName(String arn) {
    return arn.substring(arn.lastIndexOf(':') + 1);
  }

  public URI endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    stopQuietly(server, frontVertx);
  }

  private static void stopQuietly(SQSRestServer server, Vertx frontVertx) {
    try {
      frontVertx.close().await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("The SQS front did not stop cleanly: {}", e.toString());
    }
    try {
      server.stopAndWait();
    } catch (RuntimeException e) {
      LOG.warn("ElasticMQ did not stop cleanly: {}", e.toString());
    }
  }
}
