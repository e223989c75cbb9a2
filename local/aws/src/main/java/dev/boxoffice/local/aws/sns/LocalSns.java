package dev.boxoffice.local.aws.sns;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.lambda.LambdaInvoker;
import dev.boxoffice.local.aws.mail.InboxVerticle;
import dev.boxoffice.local.aws.mail.MailCatcher;
import dev.boxoffice.local.aws.mail.SmtpMailer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the local stack starts for SNS: the mail catcher (GreenMail SMTP), the SNS query-protocol endpoint that
 * mails through it, and the web inbox where a developer reads those mails. Every port binds 127.0.0.1; 0 picks a
 * free port. Topics and subscriptions persist in {@code dataDir/sns-state.json}.
 */
public final class LocalSns {

  private static final Logger LOG = LoggerFactory.getLogger(LocalSns.class);

  private final Vertx vertx;
  private final MailCatcher mailCatcher;
  private final String snsDeployment;
  private final String inboxDeployment;
  private final URI snsEndpoint;
  private final URI inboxUrl;

  private LocalSns(Vertx vertx, MailCatcher mailCatcher, String snsDeployment, String inboxDeployment,
      URI snsEndpoint, URI inboxUrl) {
    this.vertx = vertx;
    this.mailCatcher = mailCatcher;
    this.snsDeployment = snsDeployment;
    this.inboxDeployment = inboxDeployment;
    this.snsEndpoint = snsEndpoint;
    this.inboxUrl = inboxUrl;
  }

  /** Starts SNS knowing only the administrator's key, as a service's own tests do. */
  public static Future<LocalSns> start(Vertx vertx, Path dataDir, int snsPort, int smtpPort, int inboxPort,
      LambdaInvoker lambdas) {
    return start(vertx, dataDir, snsPort, smtpPort, inboxPort, lambdas, LocalIam.administratorOnly(
        LocalCredentials.ACCOUNT, LocalCredentials.REGION, LocalCredentials.ADMINISTRATOR),
        SnsQuotas.aws(LocalCredentials.REGION));
  }

  /** Starts SNS authorizing every call with {@code iam} and enforcing {@code quotas}. */
  public static Future<LocalSns> start(Vertx vertx, Path dataDir, int snsPort, int smtpPort, int inboxPort,
      LambdaInvoker lambdas, LocalIam iam, SnsQuotas quotas) {
    return vertx.executeBlocking(() -> MailCatcher.start(smtpPort))
        .compose(mailCatcher -> deploy(vertx, mailCatcher, dataDir, snsPort, inboxPort, lambdas, iam, quotas)
            .recover(failure -> vertx.executeBlocking(() -> {
              mailCatcher.stop();
              return null;
            }).transform(stopped -> Future.failedFuture(failure))))
        .onSuccess(sns -> LOG.info("Local SNS at {}, mail catcher SMTP on 127.0.0.1:{}, inbox at {}",
            sns.snsEndpoint(), sns.smtpPort(), sns.inboxUrl()));
  }

  private static Future<LocalSns> deploy(Vertx vertx, MailCatcher mailCatcher, Path dataDir, int snsPort,
      int inboxPort, LambdaInvoker lambdas, LocalIam iam, SnsQuotas quotas) {
    SmtpMailer mailer = new SmtpMailer(vertx, mailCatcher.host(), mailCatcher.smtpPort());
    SnsVerticle sns = new SnsVerticle(dataDir, snsPort, mailer, lambdas, iam, quotas);
    InboxVerticle inbox = new InboxVerticle(mailCatcher, inboxPort);
    return vertx.deployVerticle(sns)
        .compose(snsId -> vertx.deployVerticle(inbox)
            .recover(failure -> vertx.undeploy(snsId).transform(undeployed -> Future.failedFuture(failure)))
            .map(inboxId -> new LocalSns(vertx, mailCatcher, snsId, inboxId, URI.create(sns.baseUrl()),
                URI.create("http://127.0.0.1:" + inbox.actualPort() + "/"))));
  }

  /** The endpoint to give SDK clients ({@code endpointOverride}) and the AWS CLI ({@code --endpoint-url}). */
  public URI snsEndpoint() {
    return snsEndpoint;
  }

  /** The web inbox: {@code /} lists mails, {@code /api/messages?to=ADDRESS} returns them as JSON. */
  public URI inboxUrl() {
    return inboxUrl;
  }

  public int smtpPort() {
    return mailCatcher.smtpPort();
  }

  public Future<Void> stop() {
    return vertx.undeploy(inboxDeployment)
        .eventually(() -> vertx.undeploy(snsDeployment))
        .eventually(() -> vertx.executeBlocking(() -> {
          mailCatcher.stop();
          return null;
        }))
        .mapEmpty();
  }
}
