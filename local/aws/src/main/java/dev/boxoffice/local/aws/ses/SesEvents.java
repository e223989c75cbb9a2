package dev.boxoffice.local.aws.ses;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.iam.RequestSigner;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SES event publishing: for a message sent with a configuration set, the events its destinations match (Send,
 * Delivery, Bounce, Complaint), in SES's event JSON, published to the destination's SNS topic through the local
 * SNS's query API, signed as {@code ses.amazonaws.com} acting for the configuration set: the topic's policy must let
 * SES publish, as in AWS.
 */
final class SesEvents {

  static final String SUBJECT = "Amazon SES Email Event Notification";
  static final String SES_SERVICE = "ses.amazonaws.com";

  private static final Logger LOG = LoggerFactory.getLogger(SesEvents.class);

  private final WebClient http;
  private final URI snsEndpoint;
  private final LocalIam iam;

  SesEvents(WebClient http, URI snsEndpoint, LocalIam iam) {
    this.http = http;
    this.snsEndpoint = snsEndpoint;
    this.iam = iam;
  }

  /** What SES knows of a sent message: the {@code mail} object of every event about it. */
  record SentMail(String messageId, Instant timestamp, String source, List<String> destination, String subject,
                  String configurationSet, JsonObject tags) {

    JsonObject toJson() {
      return new JsonObject()
          .put("timestamp", timestamp.toString())
          .put("source", source)
          .put("sourceArn", "arn:aws:ses:" + LocalCredentials.REGION + ":" + SesVerticle.ACCOUNT_ID + ":identity/"
              + source.substring(source.lastIndexOf('@') + 1))
          .put("sendingAccountId", SesVerticle.ACCOUNT_ID)
          .put("messageId", messageId)
          .put("destination", new JsonArray(destination))
          .put("headersTruncated", false)
          .put("commonHeaders", new JsonObject()
              .put("from", new JsonArray().add(source))
              .put("to", new JsonArray(destination))
              .put("messageId", messageId)
              .put("subject", subject == null ? "" : subject))
          .put("tags", tags.copy().put("ses:configuration-set", new JsonArray().add(configurationSet)));
    }
  }

  static JsonObject send(SentMail mail) {
    return new JsonObject().put("eventType", "Send").put("mail", mail.toJson()).put("send", new JsonObject());
  }

  static JsonObject delivery(SentMail mail, List<String> recipients) {
    return new JsonObject().put("eventType", "Delivery").put("mail", mail.toJson()).put("delivery", new JsonObject()
        .put("timestamp", Instant.now().toString())
        .put("processingTimeMillis", 1)
        .put("recipients", new JsonArray(recipients))
        .put("smtpResponse", "250 2.6.0 Message received")
        .put("reportingMTA", "a8-1.smtp-out.amazonses.com"));
  }

  /** A permanent bounce, as the mailbox simulator's bounce address answers. */
  static JsonObject bounce(SentMail mail, String recipient) {
    return new JsonObject().put("eventType", "Bounce").put("mail", mail.toJson()).put("bounce", new JsonObject()
        .put("feedbackId", UUID.randomUUID() + "-000000")
        .put("bounceType", "Permanent")
        .put("bounceSubType", "General")
        .put("bouncedRecipients", new JsonArray().add(new JsonObject()
            .put("emailAddress", recipient)
            .put("action", "failed")
            .put("status", "5.1.1")
            .put("diagnosticCode", "smtp; 550 5.1.1 user unknown")))
        .put("timestamp", Instant.now().toString())
        .put("reportingMTA", "dns; amazonses.com"));
  }

  /** An abuse complaint, as the mailbox simulator's complaint address reports it. */
  static JsonObject complaint(SentMail mail, String recipient) {
    return new JsonObject().put("eventType", "Complaint").put("mail", mail.toJson()).put("complaint", new JsonObject()
        .put("feedbackId", UUID.randomUUID() + "-000000")
        .put("complainedRecipients", new JsonArray().add(new JsonObject().put("emailAddress", recipient)))
        .put("timestamp", Instant.now().toString())
        .put("userAgent", "Amazon SES Mailbox Simulator")
        .put("complaintFeedbackType", "abuse")
        .put("arrivalDate", Instant.now().toString()));
  }

  /**
   * Publishes {@code event} of a mail sent with {@code configurationSet} to the destination's topic; a failure is
   * logged, as SES would retry it unseen.
   */
  Future<Void> publish(String configurationSet, SesAccount.EventDestination destination, JsonObject event) {
    String form = "Action=Publish&TopicArn=" + encode(destination.snsTopicArn()) + "&Subject=" + encode(SUBJECT)
        + "&Message=" + encode(event.encode());
    URI sns = snsEndpoint.resolve("/");
    Map<String, String> headers = Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    var request = http.postAbs(sns.toString());
    headers.forEach(request::putHeader);
    String configurationSetArn = "arn:aws:ses:" + iam.region() + ":" + iam.account() + ":configuration-set/"
        + configurationSet;
    RequestSigner.post(iam.signingService(SES_SERVICE, configurationSetArn), "sns", iam.region(), sns, headers,
        form.getBytes(StandardCharsets.UTF_8)).forEach(request::putHeader);
    return request.sendBuffer(Buffer.buffer(form))
        .<Void>compose(response -> response.statusCode() == 200
            ? Future.succeededFuture()
            : Future.failedFuture("SNS answered " + response.statusCode() + ": " + response.bodyAsString()))
        .onFailure(failure -> LOG.warn("SES could not publish a {} event to {}: {}", event.getString("eventType"),
            destination.snsTopicArn(), failure.getMessage()));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
