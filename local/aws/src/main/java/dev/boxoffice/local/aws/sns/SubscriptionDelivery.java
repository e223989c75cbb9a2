package dev.boxoffice.local.aws.sns;

import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.iam.RequestSigner;
import dev.boxoffice.local.aws.lambda.LambdaInvoker;
import dev.boxoffice.local.aws.mail.SmtpMailer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Sends what SNS sends to an endpoint: subscription confirmations and notifications, by email over SMTP, as AWS
 * JSON documents POSTed to http(s) endpoints, as SQS messages (the JSON envelope, or with raw delivery the message
 * itself with its attributes as SQS message attributes), or as an SNS event to a Lambda function. The Signature
 * fields are present for shape compatibility but empty: local messages are not signed. A delivery to SQS is signed
 * as {@code sns.amazonaws.com} acting for the topic, so the queue's policy decides whether the topic may send to it,
 * as in AWS. A failed SQS delivery is retried a few times with back-off (AWS retries SQS deliveries for days).
 */
final class SubscriptionDelivery {

  static final String FROM_ADDRESS = "no-reply@sns.boxoffice.localhost";
  static final String SNS_SERVICE = "sns.amazonaws.com";
  private static final int MAX_QUEUE_ATTEMPTS = 5;
  private static final long FIRST_QUEUE_RETRY_MILLIS = 500;
  private static final String FROM_NAME = "AWS Notifications";
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  private final Vertx vertx;
  private final SmtpMailer mailer;
  private final LambdaInvoker lambdas;
  private final URI sqsEndpoint;
  private final LocalIam iam;
  private final WebClient http;
  private final Supplier<String> baseUrl;

  /** {@code baseUrl} is asked when a link is written, since a random SNS port is known only once it listens. */
  SubscriptionDelivery(Vertx vertx, LocalSns.Endpoints endpoints, LocalIam iam, Supplier<String> baseUrl) {
    this.vertx = vertx;
    this.iam = iam;
    this.mailer = endpoints.mail();
    this.lambdas = endpoints.lambdas();
    this.sqsEndpoint = endpoints.sqs();
    this.baseUrl = baseUrl;
    // Local https subscribers use self-signed certificates.
    this.http = WebClient.create(vertx, new WebClientOptions()
        .setTrustAll(true)
        .setVerifyHost(false)
        .setConnectTimeout(5_000)
        .setIdleTimeout(15));
  }

  String subscribeUrl(Subscription subscription) {
    return baseUrl.get() + "/?Action=ConfirmSubscription&TopicArn=" + encode(subscription.topicArn())
        + "&Token=" + subscription.token();
  }

  String unsubscribeUrl(Subscription subscription) {
    return baseUrl.get() + "/?Action=Unsubscribe&SubscriptionArn=" + encode(subscription.arn());
  }

  Future<Void> requestConfirmation(Topic topic, Subscription subscription) {
    return switch (subscription.protocol()) {
      case "email" -> mailer.send(fromName(topic), FROM_ADDRESS, subscription.endpoint(),
          "AWS Notification - Subscription Confirmation", confirmationText(topic, subscription));
      case "email-json" -> mailer.send(fromName(topic), FROM_ADDRESS, subscription.endpoint(),
          "AWS Notification - Subscription Confirmation", confirmationJson(subscription).encodePrettily());
      case "http", "https" -> post(subscription, "SubscriptionConfirmation", confirmationJson(subscription));
      default -> Future.succeededFuture();
    };
  }

  Future<Void> deliver(Topic topic, Subscription subscription, Notification notification) {
    return switch (subscription.protocol()) {
      case "email" -> mailer.send(fromName(topic), FROM_ADDRESS, subscription.endpoint(),
          notification.subject() == null ? "AWS Notification Message" : notification.subject(),
          notification.message() + "\n\n--\nIf you wish to stop receiving notifications from this topic, please click "
              + "or visit the link below to unsubscribe:\n" + unsubscribeUrl(subscription) + "\n");
      case "email-json" -> mailer.send(fromName(topic), FROM_ADDRESS, subscription.endpoint(),
          notification.subject() == null ? "AWS Notification Message" : notification.subject(),
          notificationJson(subscription, notification).encodePrettily());
      case "http", "https" -> subscription.rawMessageDelivery()
          ? post(subscription, "Notification", notification.messageId(), Buffer.buffer(notification.message()))
          : post(subscription, "Notification", notificationJson(subscription, notification));
      case "lambda" -> lambdas.invoke(subscription.endpoint(), lambdaEvent(subscription, notification).encode())
          .mapEmpty();
      case "sqs" -> sendToQueue(subscription, notification, 1);
      default -> Future.failedFuture("unsupported protocol " + subscription.protocol());
    };
  }

  private static String fromName(Topic topic) {
    return topic.displayName().isEmpty() ? FROM_NAME : topic.displayName();
  }

  private String confirmationText(Topic topic, Subscription subscription) {
    return "You have chosen to subscribe to the topic: \n" + topic.arn() + "\n\n"
        + "To confirm this subscription, click or visit the link below "
        + "(If this was in error no action is necessary): \n"
        + "Confirm subscription:\n" + subscribeUrl(subscription) + "\n\n"
        + "Please do not reply directly to this email. This message was sent by the Boxoffice local SNS.\n";
  }

  private JsonObject confirmationJson(Subscription subscription) {
    return new JsonObject()
        .put("Type", "SubscriptionConfirmation")
        .put("MessageId", UUID.randomUUID().toString())
        .put("Token", subscription.token())
        .put("TopicArn", subscription.topicArn())
        .put("Message", "You have chosen to subscribe to the topic " + subscription.topicArn()
            + ".\nTo confirm the subscription, visit the SubscribeURL included in this message.")
        .put("SubscribeURL", subscribeUrl(subscription))
        .put("Timestamp", TIMESTAMP.format(Instant.now()))
        .put("SignatureVersion", "1")
        .put("Signature", "")
        .put("SigningCertURL", "");
  }

  private JsonObject notificationJson(Subscription subscription, Notification notification) {
    JsonObject json = new JsonObject()
        .put("Type", "Notification")
        .put("MessageId", notification.messageId())
        .put("TopicArn", notification.topicArn());
    if (notification.subject() != null) {
      json.put("Subject", notification.subject());
    }
    json.put("Message", notification.message())
        .put("Timestamp", TIMESTAMP.format(notification.timestamp()))
        .put("SignatureVersion", "1")
        .put("Signature", "")
        .put("SigningCertURL", "")
        .put("UnsubscribeURL", unsubscribeUrl(subscription));
    if (!notification.attributes().isEmpty()) {
      json.put("MessageAttributes", attributesJson(notification));
    }
    return json;
  }

  /** The event a Lambda subscribed to SNS receives: {@code {"Records":[{"EventSource":"aws:sns","Sns":{...}}]}}. */
  private JsonObject lambdaEvent(Subscription subscription, Notification notification) {
    JsonObject sns = new JsonObject()
        .put("Type", "Notification")
        .put("MessageId", notification.messageId())
        .put("TopicArn", notification.topicArn())
        .put("Subject", notification.subject())
        .put("Message", notification.message())
        .put("Timestamp", TIMESTAMP.format(notification.timestamp()))
        .put("SignatureVersion", "1")
        .put("Signature", "")
        .put("SigningCertUrl", "")
        .put("UnsubscribeUrl", unsubscribeUrl(subscription))
        .put("MessageAttributes", attributesJson(notification));
    JsonObject record = new JsonObject()
        .put("EventSource", "aws:sns")
        .put("EventVersion", "1.0")
        .put("EventSubscriptionArn", subscription.arn())
        .put("Sns", sns);
    return new JsonObject().put("Records", new JsonArray().add(record));
  }

  /** SendMessage in SQS's JSON protocol, as SNS sends to a subscribed queue. */
  private Future<Void> sendToQueue(Subscription subscription, Notification notification, int attempt) {
    if (sqsEndpoint == null) {
      return Future.failedFuture("there is no local SQS to deliver to " + subscription.endpoint());
    }
    JsonObject send = new JsonObject()
        .put("QueueUrl", queueUrl(subscription.endpoint()))
        .put("MessageBody", subscription.rawMessageDelivery()
            ? notification.message()
            : notificationJson(subscription, notification).encode());
    if (subscription.rawMessageDelivery() && !notification.attributes().isEmpty()) {
      send.put("MessageAttributes", sqsAttributes(notification));
    }
    URI queueService = sqsEndpoint.resolve("/");
    Buffer body = send.toBuffer();
    Map<String, String> headers = Map.of("Content-Type", "application/x-amz-json-1.0",
        "X-Amz-Target", "AmazonSQS.SendMessage",
        "User-Agent", "Amazon Simple Notification Service Agent");
    var request = http.postAbs(queueService.toString());
    headers.forEach(request::putHeader);
    RequestSigner.post(iam.signingService(SNS_SERVICE, subscription.topicArn()), "sqs", iam.region(), queueService,
        headers, body.getBytes()).forEach(request::putHeader);
    return request.sendBuffer(body)
        .compose(SubscriptionDelivery::accepted)
        .recover(failure -> {
          if (attempt >= MAX_QUEUE_ATTEMPTS) {
            return Future.failedFuture(failure);
          }
          long delay = FIRST_QUEUE_RETRY_MILLIS << (attempt - 1);
          return vertx.timer(delay).compose(waited -> sendToQueue(subscription, notification, attempt + 1));
        });
  }

  /** {@code http://host:port/<account>/<name>} of a queue ARN {@code arn:aws:sqs:<region>:<account>:<name>}. */
  private String queueUrl(String queueArn) {
    String[] parts = queueArn.split(":");
    return sqsEndpoint.resolve("/" + parts[4] + "/" + parts[5]).toString();
  }

  /** With raw delivery SNS passes the message attributes on as SQS message attributes. */
  private static JsonObject sqsAttributes(Notification notification) {
    JsonObject attributes = new JsonObject();
    notification.attributes().forEach((name, attribute) -> {
      boolean binary = attribute.baseType().equals("Binary");
      String dataType = attribute.baseType().equals("String.Array") ? "String" : attribute.dataType();
      attributes.put(name, new JsonObject().put("DataType", dataType)
          .put(binary ? "BinaryValue" : "StringValue", attribute.value()));
    });
    return attributes;
  }

  private static JsonObject attributesJson(Notification notification) {
    JsonObject attributes = new JsonObject();
    notification.attributes().forEach((name, attribute) ->
        attributes.put(name, new JsonObject().put("Type", attribute.dataType()).put("Value", attribute.value())));
    return attributes;
  }

  private Future<Void> post(Subscription subscription, String type, JsonObject document) {
    return post(subscription, type, document.getString("MessageId"), Buffer.buffer(document.encode()));
  }

  private Future<Void> post(Subscription subscription, String type, String messageId, Buffer body) {
    var request = http.postAbs(subscription.endpoint())
        .putHeader("Content-Type", "text/plain; charset=UTF-8")
        .putHeader("x-amz-sns-message-type", type)
        .putHeader("x-amz-sns-message-id", messageId)
        .putHeader("x-amz-sns-topic-arn", subscription.topicArn())
        .putHeader("User-Agent", "Amazon Simple Notification Service Agent");
    if (!"SubscriptionConfirmation".equals(type)) {
      request.putHeader("x-amz-sns-subscription-arn", subscription.arn());
    }
    if (subscription.rawMessageDelivery()) {
      request.putHeader("x-amz-sns-rawdelivery", "true");
    }
    return request.sendBuffer(body).compose(SubscriptionDelivery::accepted);
  }

  private static Future<Void> accepted(HttpResponse<Buffer> response) {
    if (response.statusCode() / 100 == 2) {
      return Future.succeededFuture();
    }
    String answer = response.bodyAsString();
    return Future.failedFuture("the endpoint answered HTTP " + response.statusCode() + (answer == null ? ""
        : ": " + answer.substring(0, Math.min(answer.length(), 300))));
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
