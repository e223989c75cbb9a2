package dev.boxoffice.local.aws.sns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SelfSignedCertificate;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.Subscription;

@ExtendWith(VertxExtension.class)
@DisplayName("Local SNS delivers to http endpoints and Lambda functions and keeps subscriptions across restarts")
class SnsHttpAndLambdaTest {

  private static final String LAMBDA_ARN = "arn:aws:lambda:us-east-1:000000000000:function:ticket-mailer";

  @TempDir
  Path dataDir;

  private final BlockingQueue<Received> httpDeliveries = new LinkedBlockingQueue<>();
  private final BlockingQueue<Invocation> lambdaInvocations = new LinkedBlockingQueue<>();
  private Vertx vertx;
  private HttpServer subscriber;
  private SnsWithMail localSns;
  private SnsClient sns;

  record Received(MultiMap headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  record Invocation(String function, JsonObject event) {
  }

  @BeforeEach
  void start(Vertx vertx, VertxTestContext context) {
    this.vertx = vertx;
    vertx.createHttpServer()
        .requestHandler(request -> request.body().onSuccess(body -> {
          httpDeliveries.add(new Received(request.headers(), body.toString()));
          request.response().end();
        }))
        .listen(0, "127.0.0.1")
        .compose(server -> {
          subscriber = server;
          return startSns();
        })
        .onComplete(context.succeedingThenComplete());
  }

  private Future<SnsWithMail> startSns() {
    return SnsWithMail.start(vertx, dataDir, (function, payload) -> {
      lambdaInvocations.add(new Invocation(function, new JsonObject(payload)));
      return Future.succeededFuture("null");
    }).onSuccess(started -> {
      localSns = started;
      sns = SnsTestSupport.snsClient(started.snsEndpoint());
    });
  }

  @AfterEach
  void stop(VertxTestContext context) {
    sns.close();
    localSns.stop().compose(stopped -> subscriber.close()).onComplete(context.succeedingThenComplete());
  }

  @Test
  @DisplayName("an http subscriber gets the SubscriptionConfirmation, confirms with its token and then gets Notifications in the AWS JSON shape")
  void httpSubscription() throws Exception {
    String topicArn = sns.createTopic(topic -> topic.name("tickets")).topicArn();
    String endpoint = "http://127.0.0.1:" + subscriber.actualPort() + "/sns";
    sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("http").endpoint(endpoint));

    Received confirmation = next(httpDeliveries);
    assertThat(confirmation.headers().get("x-amz-sns-message-type")).isEqualTo("SubscriptionConfirmation");
    assertThat(confirmation.headers().get("x-amz-sns-topic-arn")).isEqualTo(topicArn);
    JsonObject request = confirmation.json();
    assertThat(request.getString("Type")).isEqualTo("SubscriptionConfirmation");
    assertThat(request.getString("TopicArn")).isEqualTo(topicArn);
    assertThat(request.getString("SubscribeURL")).contains("Action=ConfirmSubscription", request.getString("Token"));
    String subscriptionArn = sns.confirmSubscription(confirm -> confirm.topicArn(topicArn)
        .token(request.getString("Token"))).subscriptionArn();

    sns.publish(publish -> publish.topicArn(topicArn).subject("Ticket issued").messageStructure("json")
        .message("{\"default\":\"plain text\",\"http\":\"{\\\"ticket\\\":\\\"T-1\\\"}\"}")
        .messageAttributes(Map.of("tier", text("vip"), "seats", array("[\"A1\",\"A2\"]"))));

    Received delivery = next(httpDeliveries);
    assertThat(delivery.headers().get("x-amz-sns-message-type")).isEqualTo("Notification");
    assertThat(delivery.headers().get("x-amz-sns-subscription-arn")).isEqualTo(subscriptionArn);
    JsonObject notification = delivery.json();
    assertThat(notification.getString("Type")).isEqualTo("Notification");
    assertThat(notification.getString("Message")).isEqualTo("{\"ticket\":\"T-1\"}");
    assertThat(notification.getString("Subject")).isEqualTo("Ticket issued");
    assertThat(notification.getString("MessageId")).isEqualTo(delivery.headers().get("x-amz-sns-message-id"));
    assertThat(notification.getString("UnsubscribeURL")).contains("Action=Unsubscribe");
    assertThat(notification.getString("Timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(notification.getJsonObject("MessageAttributes").getJsonObject("tier"))
        .isEqualTo(new JsonObject().put("Type", "String").put("Value", "vip"));
    assertThat(notification.getJsonObject("MessageAttributes").getJsonObject("seats").getString("Type"))
        .isEqualTo("String.Array");
  }

  @Test
  @DisplayName("a MessageBody filter policy set after subscribing lets through only bodies whose nested keys match")
  void messageBodyFilter() throws Exception {
    String topicArn = sns.createTopic(topic -> topic.name("orders")).topicArn();
    String subscriptionArn = sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("lambda")
        .endpoint(LAMBDA_ARN)).subscriptionArn();
    assertThat(subscriptionArn).startsWith(topicArn + ":");

    sns.setSubscriptionAttributes(set -> set.subscriptionArn(subscriptionArn)
        .attributeName("FilterPolicyScope").attributeValue("MessageBody"));
    sns.setSubscriptionAttributes(set -> set.subscriptionArn(subscriptionArn)
        .attributeName("FilterPolicy").attributeValue("{\"order\":{\"status\":[\"placed\"]}}"));
    sns.publish(publish -> publish.topicArn(topicArn).message("{\"order\":{\"status\":\"cancelled\",\"id\":1}}"));
    sns.publish(publish -> publish.topicArn(topicArn).message("{\"order\":{\"status\":\"placed\",\"id\":2}}"));

    Invocation invocation = next(lambdaInvocations);
    assertThat(invocation.function()).isEqualTo(LAMBDA_ARN);
    JsonObject record = invocation.event().getJsonArray("Records").getJsonObject(0);
    assertThat(record.getString("EventSource")).isEqualTo("aws:sns");
    assertThat(record.getString("EventSubscriptionArn")).isEqualTo(subscriptionArn);
    assertThat(record.getJsonObject("Sns").getString("TopicArn")).isEqualTo(topicArn);
    assertThat(record.getJsonObject("Sns").getString("Message")).isEqualTo("{\"order\":{\"status\":\"placed\",\"id\":2}}");
    assertThat(lambdaInvocations.poll(300, TimeUnit.MILLISECONDS)).isNull();
    assertThat(sns.getSubscriptionAttributes(get -> get.subscriptionArn(subscriptionArn)).attributes())
        .containsEntry("FilterPolicyScope", "MessageBody")
        .containsEntry("FilterPolicy", "{\"order\":{\"status\":[\"placed\"]}}");
  }

  @Test
  @DisplayName("topics and subscriptions with their filter policies survive a restart on the same data directory")
  void survivesRestart() throws Exception {
    String topicArn = sns.createTopic(topic -> topic.name("persisted").attributes(Map.of("DisplayName", "Boxoffice")))
        .topicArn();
    String lambdaArn = sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("lambda").endpoint(LAMBDA_ARN)
        .attributes(Map.of("FilterPolicy", "{\"kind\":[\"refund\"]}"))).subscriptionArn();
    sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("email").endpoint("later@example.test"));
    sns.close();

    localSns.stop().compose(stopped -> startSns()).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

    assertThat(sns.listTopics().topics()).extracting(topic -> topic.topicArn()).containsExactly(topicArn);
    assertThat(sns.listSubscriptions().subscriptions()).extracting(Subscription::endpoint, Subscription::subscriptionArn)
        .containsExactlyInAnyOrder(
            tuple(LAMBDA_ARN, lambdaArn),
            tuple("later@example.test", "PendingConfirmation"));
    assertThat(sns.getTopicAttributes(get -> get.topicArn(topicArn)).attributes())
        .containsEntry("DisplayName", "Boxoffice")
        .containsEntry("SubscriptionsConfirmed", "1")
        .containsEntry("SubscriptionsPending", "1");

    sns.publish(publish -> publish.topicArn(topicArn).message("not for the lambda")
        .messageAttributes(Map.of("kind", text("sale"))));
    sns.publish(publish -> publish.topicArn(topicArn).message("refund 7")
        .messageAttributes(Map.of("kind", text("refund"))));
    assertThat(next(lambdaInvocations).event().getJsonArray("Records").getJsonObject(0).getJsonObject("Sns")
        .getString("Message")).isEqualTo("refund 7");

    sns.unsubscribe(unsubscribe -> unsubscribe.subscriptionArn(lambdaArn));
    sns.deleteTopic(delete -> delete.topicArn(topicArn));
    assertThat(sns.listSubscriptions().subscriptions()).isEmpty();
    assertThat(sns.listTopics().topics()).isEmpty();
  }

  @Test
  @DisplayName("an http subscriber with RawMessageDelivery receives the bare message body")
  void rawDelivery() throws Exception {
    String topicArn = sns.createTopic(topic -> topic.name("raw")).topicArn();
    String endpoint = "http://127.0.0.1:" + subscriber.actualPort() + "/raw";
    sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("http").endpoint(endpoint)
        .attributes(Map.of("RawMessageDelivery", "true")));
    String subscribeUrl = next(httpDeliveries).json().getString("SubscribeURL");
    assertThat(SnsTestSupport.get(subscribeUrl, "*/*").statusCode()).isEqualTo(200);

    sns.publish(publish -> publish.topicArn(topicArn).message("just the body"));

    Received delivery = next(httpDeliveries);
    assertThat(delivery.body()).isEqualTo("just the body");
    assertThat(delivery.headers().get("x-amz-sns-rawdelivery")).isEqualTo("true");
  }

  @Test
  @DisplayName("an https subscriber with a self-signed certificate gets its SubscriptionConfirmation")
  void httpsSubscription(Vertx vertx, VertxTestContext context) {
    SelfSignedCertificate certificate = SelfSignedCertificate.create("127.0.0.1");
    BlockingQueue<String> confirmations = new LinkedBlockingQueue<>();
    vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(certificate.keyCertOptions()))
        .requestHandler(request -> request.body().onSuccess(body -> {
          confirmations.add(request.getHeader("x-amz-sns-message-type") + " " + body);
          request.response().end();
        }))
        .listen(0, "127.0.0.1")
        .compose(server -> vertx.executeBlocking(() -> {
          String topicArn = sns.createTopic(topic -> topic.name("secure")).topicArn();
          sns.subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("https")
              .endpoint("https://127.0.0.1:" + server.actualPort() + "/hook"));
          return confirmations.poll(10, TimeUnit.SECONDS);
        }).eventually(server::close))
        .onComplete(context.succeeding(received -> context.verify(() -> {
          assertThat(received).startsWith("SubscriptionConfirmation {").contains("\"SubscribeURL\"");
          context.completeNow();
        })));
  }

  private static <T> T next(BlockingQueue<T> queue) throws InterruptedException {
    T next = queue.poll(10, TimeUnit.SECONDS);
    assertThat(next).as("a delivery within 10 seconds").isNotNull();
    return next;
  }

  private static MessageAttributeValue text(String value) {
    return MessageAttributeValue.builder().dataType("String").stringValue(value).build();
  }

  private static MessageAttributeValue array(String json) {
    return MessageAttributeValue.builder().dataType("String.Array").stringValue(json).build();
  }
}
