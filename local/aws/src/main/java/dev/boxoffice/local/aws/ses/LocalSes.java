package dev.boxoffice.local.aws.ses;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.mail.SmtpMailer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local SES (API v2) on 127.0.0.1: an endpoint of Boxoffice's own, because it feeds the same mail catcher and
 * inbox as SNS email, sends raw MIME unchanged, enforces the account's sending rate, and publishes the configuration
 * sets' events (bounces and complaints of AWS's mailbox simulator addresses) to the local SNS, which the npm
 * package aws-ses-v2-local does not. 0 picks a free port.
 */
public final class LocalSes {

  private static final Logger LOG = LoggerFactory.getLogger(LocalSes.class);

  private final Vertx vertx;
  private final String deployment;
  private final URI endpoint;

  private LocalSes(Vertx vertx, String deployment, URI endpoint) {
    this.vertx = vertx;
    this.deployment = deployment;
    this.endpoint = endpoint;
  }

  /**
   * The account's sending quota: at most {@code maxSendRate} recipients a second and {@code max24HourSend} a day
   * (-1: unlimited).
   */
  public record Quota(double maxSendRate, long max24HourSend) {
  }

  /** Starts SES knowing only the administrator's key, as a service's own tests do. */
  public static Future<LocalSes> start(Vertx vertx, int port, Quota quota, SmtpMailer mailer, URI snsEndpoint) {
    return start(vertx, port, quota, mailer, snsEndpoint, LocalIam.administratorOnly(LocalCredentials.ACCOUNT,
        LocalCredentials.REGION, LocalCredentials.ADMINISTRATOR));
  }

  /**
   * Starts the endpoint, authorizing every call with {@code iam}: mail goes to {@code mailer}, configuration set
   * events to the SNS at {@code snsEndpoint}, signed as SES acting for the configuration set.
   */
  public static Future<LocalSes> start(Vertx vertx, int port, Quota quota, SmtpMailer mailer, URI snsEndpoint,
                                       LocalIam iam) {
    SesAccount account = new SesAccount(new SendQuota(quota.maxSendRate(), quota.max24HourSend(), Clock.systemUTC()));
    SesEvents events = new SesEvents(WebClient.create(vertx), snsEndpoint, iam);
    SesVerticle verticle = new SesVerticle(account, new OutboundEmails(account, mailer, events), iam, port);
    return vertx.deployVerticle(verticle)
        .map(id -> new LocalSes(vertx, id, URI.create("http://127.0.0.1:" + verticle.actualPort())))
        .onSuccess(ses -> LOG.info("Local SES at {} (at most {} emails/s)", ses.endpoint(), quota.maxSendRate()));
  }

  /** The endpoint to give {@code SesV2Client} ({@code endpointOverride}) and {@code aws sesv2 --endpoint-url}. */
  public URI endpoint() {
    return endpoint;
  }

  public Future<Void> stop() {
    return vertx.undeploy(deployment);
  }
}
