package dev.boxoffice.local.aws.sns;

import static dev.boxoffice.local.aws.sns.SnsTestSupport.awaitMail;
import static dev.boxoffice.local.aws.sns.SnsTestSupport.get;
import static dev.boxoffice.local.aws.sns.SnsTestSupport.hasSubject;
import static dev.boxoffice.local.aws.sns.SnsTestSupport.mailsTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.GetSubscriptionAttributesResponse;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.Subscription;

@ExtendWith(VertxExtension.class)
@DisplayName("Local SNS email delivery through the mail catcher")
class SnsEmailDeliveryTest {

  private static final String CONFIRMATION_SUBJECT = "AWS Notification - Subscription Confirmation";

  @TempDir
  Path dataDir;

  private SnsWithMail localSns;
  private SnsClient sns;

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    SnsWithMail.start(vertx, dataDir, (function, payload) -> Future.succeededFuture("null"))
        .onComplete(context.succeeding(started -> {
          localSns = started;
          sns = SnsTestSupport.snsClient(started.snsEndpoint());
          context.completeNow();
        }));
  }

  @AfterEach
  void stop(VertxTestContext context) {
    sns.close();
    localSns.stop().onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("email subscribers confirm through the SubscribeURL, then receive only the messages their filter policy matches")
  void subscribeConfirmPublishFiltered() throws Exception {
    URI inbox = localSns.inboxUrl();
    String topicArn = sns.createTopic(topic -> topic.name("orders")).topicArn();
    assertThat(topicArn).isEqualTo("arn:aws:sns:us-east-1:000000000000:orders");

    String vipArn = sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("email")
        .endpoint("vip@example.test").returnSubscriptionArn(true)
        .attributes(Map.of("FilterPolicy", "{\"tier\":[\"vip\"],\"total\":[{\"numeric\":[\">=\",100]}]}")))
        .subscriptionArn();
    String everyoneReply = sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("email")
        .endpoint("everyone@example.test")).subscriptionArn();
    sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("email").endpoint("basic@example.test")
        .attributes(Map.of("FilterPolicy", "{\"tier\":[\"basic\"]}")));
    sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("email").endpoint("lurker@example.test"));
    assertThat(vipArn).startsWith(topicArn + ":");
    assertThat(everyoneReply).isEqualTo("pending confirmation");

    for (String address : List.of("vip@example.test", "everyone@example.test", "basic@example.test")) {
      JsonObject confirmation = awaitMail(inbox, address, mail -> hasSubject(mail, CONFIRMATION_SUBJECT));
      String subscribeUrl = confirmation.getJsonArray("links").getString(0);
      assertThat(subscribeUrl).startsWith(localSns.snsEndpoint() + "/?Action=ConfirmSubscription&TopicArn=");
      assertThat(confirmation.getString("from")).isEqualTo("no-reply@sns.boxoffice.localhost");
      HttpResponse<String> page = get(subscribeUrl, "text/html,application/xhtml+xml");
      assertThat(page.statusCode()).isEqualTo(200);
      assertThat(page.body()).contains("Subscription confirmed!");
    }
    awaitMail(inbox, "lurker@example.test", mail -> hasSubject(mail, CONFIRMATION_SUBJECT));

    Map<String, String> listedArnByEndpoint = sns.listSubscriptionsByTopic(list -> list.topicArn(topicArn))
        .subscriptions().stream()
        .collect(Collectors.toMap(Subscription::endpoint, Subscription::subscriptionArn));
    assertThat(listedArnByEndpoint).containsEntry("lurker@example.test", "PendingConfirmation")
        .containsEntry("vip@example.test", vipArn);
    assertThat(listedArnByEndpoint.get("everyone@example.test")).startsWith(topicArn + ":");
    GetSubscriptionAttributesResponse vip = sns.getSubscriptionAttributes(get -> get.subscriptionArn(vipArn));
    assertThat(vip.attributes()).containsEntry("PendingConfirmation", "false")
        .containsEntry("FilterPolicyScope", "MessageAttributes")
        .containsEntry("FilterPolicy", "{\"tier\":[\"vip\"],\"total\":[{\"numeric\":[\">=\",100]}]}");

    sns.publish(publish -> publish.topicArn(topicArn).subject("VIP order").message("Order 42: 150.00 EUR")
        .messageAttributes(Map.of("tier", text("vip"), "total", number("150"))));
    sns.publish(publish -> publish.topicArn(topicArn).subject("Basic order").message("Order 43: 5.00 EUR")
        .messageAttributes(Map.of("tier", text("basic"), "total", number("5"))));

    JsonObject vipOrder = awaitMail(inbox, "vip@example.test", mail -> hasSubject(mail, "VIP order"));
    assertThat(vipOrder.getString("text")).startsWith("Order 42: 150.00 EUR")
        .contains(localSns.snsEndpoint() + "/?Action=Unsubscribe&SubscriptionArn=");
    awaitMail(inbox, "everyone@example.test", mail -> hasSubject(mail, "VIP order"));
    awaitMail(inbox, "everyone@example.test", mail -> hasSubject(mail, "Basic order"));
    awaitMail(inbox, "basic@example.test", mail -> hasSubject(mail, "Basic order"));

    assertThat(subjects(inbox, "vip@example.test")).containsExactlyInAnyOrder("VIP order", CONFIRMATION_SUBJECT);
    assertThat(subjects(inbox, "basic@example.test")).containsExactlyInAnyOrder("Basic order", CONFIRMATION_SUBJECT);
    assertThat(subjects(inbox, "lurker@example.test")).containsExactly(CONFIRMATION_SUBJECT);
  }

  @Test
  @DisplayName("a SubscribeURL opened without asking for HTML answers the ConfirmSubscription XML of AWS")
  void confirmationLinkAnswersXml() throws Exception {
    String topicArn = sns.createTopic(topic -> topic.name("alerts")).topicArn();
    sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("email").endpoint("ops@example.test"));
    JsonObject confirmation = awaitMail(localSns.inboxUrl(), "ops@example.test",
        mail -> hasSubject(mail, CONFIRMATION_SUBJECT));

    HttpResponse<String> answer = get(confirmation.getJsonArray("links").getString(0), "*/*");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).startsWith("<ConfirmSubscriptionResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
        + "<ConfirmSubscriptionResult><SubscriptionArn>" + topicArn + ":");
    assertThat(answer.body()).contains("<ResponseMetadata><RequestId>");
  }

  @Test
  @DisplayName("the unsubscribe link in a notification email removes the subscription when a browser opens it")
  void unsubscribeLink() throws Exception {
    String topicArn = sns.createTopic(topic -> topic.name("news")).topicArn();
    sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("email").endpoint("reader@example.test"));
    JsonObject confirmation = awaitMail(localSns.inboxUrl(), "reader@example.test",
        mail -> hasSubject(mail, CONFIRMATION_SUBJECT));
    assertThat(get(confirmation.getJsonArray("links").getString(0), "text/html").statusCode()).isEqualTo(200);
    sns.publish(publish -> publish.topicArn(topicArn).message("Doors open at 8"));
    JsonObject notification = awaitMail(localSns.inboxUrl(), "reader@example.test",
        mail -> hasSubject(mail, "AWS Notification Message"));

    HttpResponse<String> page = get(notification.getJsonArray("links").getString(0), "text/html");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Subscription removed!");
    assertThat(sns.listSubscriptionsByTopic(list -> list.topicArn(topicArn)).subscriptions()).isEmpty();
  }

  @Test
  @DisplayName("an email-json subscriber receives the confirmation and the notifications as AWS JSON documents")
  void emailJson() throws Exception {
    String topicArn = sns.createTopic(topic -> topic.name("json-mail")).topicArn();
    sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("email-json").endpoint("robot@example.test"));
    JsonObject confirmation = new JsonObject(awaitMail(localSns.inboxUrl(), "robot@example.test",
        mail -> hasSubject(mail, CONFIRMATION_SUBJECT)).getString("text"));
    assertThat(confirmation.getString("Type")).isEqualTo("SubscriptionConfirmation");
    sns.confirmSubscription(confirm -> confirm.topicArn(topicArn).token(confirmation.getString("Token")));

    sns.publish(publish -> publish.topicArn(topicArn).subject("Seat map").message("row 7")
        .messageAttributes(Map.of("venue", text("Arena"))));

    JsonObject notification = new JsonObject(awaitMail(localSns.inboxUrl(), "robot@example.test",
        mail -> hasSubject(mail, "Seat map")).getString("text"));
    assertThat(notification.getString("Type")).isEqualTo("Notification");
    assertThat(notification.getString("Message")).isEqualTo("row 7");
    assertThat(notification.getString("TopicArn")).isEqualTo(topicArn);
    assertThat(notification.getJsonObject("MessageAttributes").getJsonObject("venue").getString("Value"))
        .isEqualTo("Arena");
  }

  private static List<String> subjects(URI inbox, String address) {
    return mailsTo(inbox, address).stream().map(mail -> mail.getString("subject")).toList();
  }

  static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  static MessageAttributeValue number(String value) {
    return MessageAttributeValue.builder().dataType("Number").stringValue(value).build();
  }
}
