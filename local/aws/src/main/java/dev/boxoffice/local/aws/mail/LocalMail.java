package dev.boxoffice.local.aws.mail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where local email ends up: the mail catcher (GreenMail SMTP on 127.0.0.1), an SMTP client that sends to it, and the
 * web inbox where a developer reads what SES and SNS sent. 0 picks a free port.
 */
public final class LocalMail {

  private static final Logger LOG = LoggerFactory.getLogger(LocalMail.class);

  private final Vertx vertx;
  private final MailCatcher catcher;
  private final SmtpMailer mailer;
  private final String inboxDeployment;
  private final URI inboxUrl;

  private LocalMail(Vertx vertx, MailCatcher catcher, String inboxDeployment, URI inboxUrl) {
    this.vertx = vertx;
    this.catcher = catcher;
    this.mailer = new SmtpMailer(vertx, catcher.host(), catcher.smtpPort());
    this.inboxDeployment = inboxDeployment;
    this.inboxUrl = inboxUrl;
  }

  public static Future<LocalMail> start(Vertx vertx, int smtpPort, int inboxPort) {
    return vertx.executeBlocking(() -> MailCatcher.start(smtpPort))
        .compose(catcher -> {
          InboxVerticle inbox = new InboxVerticle(catcher, inboxPort);
          return vertx.deployVerticle(inbox)
              .map(id -> new LocalMail(vertx, catcher, id, URI.create("http://127.0.0.1:" + inbox.actualPort() + "/")))
              .recover(failure -> vertx.executeBlocking(() -> {
                catcher.stop();
                return null;
              }).transform(stopped -> Future.failedFuture(failure)));
        })
        .onSuccess(mail -> LOG.info("Mail catcher SMTP on 127.0.0.1:{}, inbox at {}", mail.smtpPort(),
            mail.inboxUrl()));
  }

  /** Sends to the mail catcher over SMTP. */
  public SmtpMailer mailer() {
    return mailer;
  }

  /** The web inbox: {@code /} lists mails, {@code /api/messages?to=ADDRESS} returns them as JSON. */
  public URI inboxUrl() {
    return inboxUrl;
  }

  public int smtpPort() {
    return catcher.smtpPort();
  }

  public Future<Void> stop() {
    return vertx.undeploy(inboxDeployment)
        .eventually(() -> vertx.executeBlocking(() -> {
          catcher.stop();
          return null;
        }))
        .mapEmpty();
  }
}
