package dev.boxoffice.local.aws.sns;

import dev.boxoffice.local.aws.lambda.LambdaInvoker;
import dev.boxoffice.local.aws.mail.LocalMail;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.nio.file.Path;

/** The local SNS with a mail catcher and inbox of its own on free ports, as the SNS tests use it. */
public record SnsWithMail(LocalMail mail, LocalSns sns) {

  public static Future<SnsWithMail> start(Vertx vertx, Path dataDir, LambdaInvoker lambdas) {
    return LocalMail.start(vertx, 0, 0).compose(mail ->
        LocalSns.start(vertx, dataDir, 0, new LocalSns.Endpoints(mail.mailer(), lambdas, null))
            .map(sns -> new SnsWithMail(mail, sns)));
  }

  public URI snsEndpoint() {
    return sns.snsEndpoint();
  }

  public URI inboxUrl() {
    return mail.inboxUrl();
  }

  public Future<Void> stop() {
    return sns.stop().eventually(mail::stop);
  }
}
