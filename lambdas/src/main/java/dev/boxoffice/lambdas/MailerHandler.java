package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.boxoffice.codecs.notifications.IssuedTicket;
import dev.boxoffice.codecs.notifications.Notification;
import dev.boxoffice.codecs.notifications.Notifications;
import dev.boxoffice.codecs.notifications.SignInCode;
import dev.boxoffice.lambdas.mail.MailRenderer;
import dev.boxoffice.lambdas.mail.MimeComposer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * mailer, fed by the SQS event source mappings of the mail queues: for each notification of the batch, unless its
 * address is suppressed or (a sign-in code) it expired in the queue, claims its id in the mail log, renders it,
 * composes the raw MIME message and sends it through SES v2 with the configuration set whose events report bounces
 * and complaints, paced to its share of the account's sending rate, then marks it sent. A notification sent or settled
 * before is skipped, so a batch delivered again mails nobody twice. Answers the messages that failed
 * ({@code ReportBatchItemFailures}): only they come back after the queue's visibility timeout, and a message that
 * keeps failing (a poison one: no notification) moves to the dead-letter queue after the queue's maxReceiveCount.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_MAIL_LOG_TABLE}; {@code BOXOFFICE_SUPPRESSION_TABLE};
 * {@code BOXOFFICE_BUCKET} (the QR codes); {@code BOXOFFICE_MAIL_FROM} (a verified SES identity);
 * {@code BOXOFFICE_MAIL_FROM_NAME}; {@code BOXOFFICE_SES_CONFIGURATION_SET}; {@code BOXOFFICE_SITE_URL};
 * {@code BOXOFFICE_SES_MAX_SEND_RATE} (the account's SES sending rate, mails a second);
 * {@code BOXOFFICE_MAILER_CONCURRENCY} (how many mailers the event source mappings run at most); optional
 * {@code BOXOFFICE_MAIL_REPLY_TO}, {@code BOXOFFICE_DYNAMODB_ENDPOINT}, {@code BOXOFFICE_S3_ENDPOINT},
 * {@code BOXOFFICE_SES_ENDPOINT}.
 */
public final class MailerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  public static final String MAIL_FROM = "BOXOFFICE_MAIL_FROM";
  public static final String MAIL_FROM_NAME = "BOXOFFICE_MAIL_FROM_NAME";
  public static final String MAIL_REPLY_TO = "BOXOFFICE_MAIL_REPLY_TO";
  public static final String CONFIGURATION_SET = "BOXOFFICE_SES_CONFIGURATION_SET";
  public static final String SES_MAX_SEND_RATE = "BOXOFFICE_SES_MAX_SEND_RATE";
  public static final String CONCURRENCY = "BOXOFFICE_MAILER_CONCURRENCY";
  /** Below this much time left, the rest of the batch is handed back rather than cut off by the timeout. */
  private static final long RESERVE_MILLIS = 5_000;

  private final MailLog log;
  private final SuppressionList suppressed;
  private final MailRenderer renderer;
  private final MimeComposer composer;
  private final SesV2Client ses;
  private final String configurationSet;
  private final SendPacer pacer;
  private final Clock clock;

  public MailerHandler() {
    this(System.getenv());
  }

  public MailerHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment), Clock.systemUTC());
  }

  MailerHandler(HandlerEnvironment environment, Clock clock) {
    this.log = new MailLog(AwsClients.dynamoDb(environment), environment.required(MailLog.TABLE));
    this.suppressed = new SuppressionList(AwsClients.dynamoDb(environment),
        environment.required(SuppressionList.TABLE));
    S3Client s3 = AwsClients.s3(environment);
    String bucket = environment.required(CreateEventHandler.BUCKET);
    this.renderer = new MailRenderer(ticket -> qrCode(s3, bucket, ticket),
        new SiteLinks(environment).site(), clock);
    this.composer = new MimeComposer(environment.required(MAIL_FROM_NAME), environment.required(MAIL_FROM),
        environment.optional(MAIL_REPLY_TO), clock);
    this.ses = AwsClients.sesV2(environment);
    this.configurationSet = environment.required(CONFIGURATION_SET);
    this.pacer = new SendPacer(Double.parseDouble(environment.required(SES_MAX_SEND_RATE)),
        environment.integer(CONCURRENCY, 1));
    this.clock = clock;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    Log.invocation(context);
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (SQSEvent.SQSMessage message : event.getRecords()) {
      if (context != null && context.getRemainingTimeInMillis() < RESERVE_MILLIS) {
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
        continue;
      }
      try {
        deliver(message.getBody());
      } catch (RuntimeException e) {
        Log.warn("message " + message.getMessageId() + " failed and comes back", e);
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }

  private void deliver(String body) {
    Notification notification = notificationOf(body);
    Instant now = clock.instant();
    if (notification instanceof SignInCode code && !code.expiresAt().isAfter(now)) {
      log.settled(notification.id(), notification.type(), MailLog.Outcome.EXPIRED, now);
      return;
    }
    if (suppressed.contains(notification.to())) {
      log.settled(notification.id(), notification.type(), MailLog.Outcome.SUPPRESSED, now);
      return;
    }
    switch (log.claim(notification.id(), notification.type(), now)) {
      case DONE -> {
        return;
      }
      case BUSY -> throw new IllegalStateException("another mailer is sending " + notification.id());
      case CLAIMED -> send(notification);
    }
  }

  private void send(Notification notification) {
    try {
      byte[] mime = composer.compose(renderer.render(notification), notification.to());
      pacer.awaitTurn();
      String messageId = ses.sendEmail(send -> send
          .fromEmailAddress(composer.fromAddress())
          .destination(to -> to.toAddresses(notification.to()))
          .configurationSetName(configurationSet)
          .emailTags(tag -> tag.name("type").value(notification.type()))
          .content(content -> content.raw(raw -> raw.data(SdkBytes.fromByteArray(mime))))).messageId();
      log.sent(notification.id(), messageId, clock.instant());
    } catch (RuntimeException e) {
      log.release(notification.id());
      throw e;
    }
  }

  private static Notification notificationOf(String body) {
    try {
      return Notifications.fromJson(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a notification: " + e.getOriginalMessage());
    }
  }

  private static byte[] qrCode(S3Client s3, String bucket, IssuedTicket ticket) {
    return s3.getObjectAsBytes(get -> get.bucket(bucket).key(ticket.qrKey())).asByteArray();
  }
}
