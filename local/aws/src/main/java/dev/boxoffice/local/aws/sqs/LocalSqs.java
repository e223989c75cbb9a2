package dev.boxoffice.local.aws.sqs;

import dev.boxoffice.local.aws.LocalCredentials;
import java.net.URI;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQS on 127.0.0.1: ElasticMQ's server embedded (both SQS wire protocols, the JSON one current SDKs speak and the
 * query one, with SQS's limits, visibility timeouts, long polling and redrive policies), with queue URLs and ARNs of
 * the local account and region. Queues and messages live in memory: a restart of the stack starts them empty.
 * ElasticMQ checks no signature; who calls is known only to the clients {@code LocalCloud} hands out.
 */
public final class LocalSqs implements AutoCloseable {

  /** The account of queue URLs and ARNs, the local account every service here uses. */
  public static final String ACCOUNT_ID = "000000000000";

  private static final Logger LOG = LoggerFactory.getLogger(LocalSqs.class);
  private static final String LOOPBACK = "127.0.0.1";

  private final SQSRestServer server;
  private final URI endpoint;

  private LocalSqs(SQSRestServer server, URI endpoint) {
    this.server = server;
    this.endpoint = endpoint;
  }

  /** Starts ElasticMQ on {@code port} of the loopback interface; returns once it accepts connections. */
  public static LocalSqs start(int port) {
    SQSRestServer server = SQSRestServerBuilder
        .withInterface(LOOPBACK)
        .withPort(port)
        .withServerAddress(new NodeAddress("http", LOOPBACK, port, ""))
        .withAWSRegion(LocalCredentials.REGION)
        .withAWSAccountId(ACCOUNT_ID)
        .start();
    server.waitUntilStarted();
    URI endpoint = URI.create("http://" + LOOPBACK + ":" + port);
    LOG.info("Local SQS (ElasticMQ) at {}", endpoint);
    return new LocalSqs(server, endpoint);
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
    try {
      server.stopAndWait();
    } catch (RuntimeException e) {
      LOG.warn("ElasticMQ did not stop cleanly: {}", e.toString());
    }
  }
}
