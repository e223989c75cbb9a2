package dev.boxoffice.lambdas;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.boxoffice.codecs.Json;
import dev.boxoffice.codecs.notifications.EventDetails;
import dev.boxoffice.codecs.notifications.IssuedTicket;
import dev.boxoffice.codecs.notifications.Notifications;
import dev.boxoffice.codecs.notifications.SignInCode;
import dev.boxoffice.codecs.notifications.TicketsReady;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import dev.boxoffice.local.aws.cloudformation.EventSourceMappingDefinition;
import dev.boxoffice.local.aws.lambda.SqsEventSourcePoller;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalCloudExtension;
import dev.boxoffice.local.cloud.LocalCloudSettings;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import net.fortuna.ical4j.model.Calendar;
import net.fortuna.ical4j.model.component.VEvent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

@ExtendWith(LocalCloudExtension.class)
@DisplayName("mailer: notifications of the mail queues become email through SES, once each")
class MailerTest {

  private static final Instant STARTS = Instant.parse("2031-03-14T19:30:00Z");
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final LocalCloud aws;
  private final MailerHandler mailer;
  private final String bucket;

  MailerTest(LocalCloud aws) {
    this.aws = aws;
    this.mailer = new MailerHandler(aws.functionEnvironment("MailerFunction"));
    this.bucket = aws.resources().bucketName("MediaBucket");
  }

  @Test
  @DisplayName("tickets-ready becomes one email from the configured sender: escaped title, each ticket's QR code "
      + "inline and scannable, a valid calendar entry")
  void ticketEmail() throws Exception {
    String buyer = unique("buyer");
    TicketsReady ready = ticketsReady(buyer, "Jazz <night> & more", 2);

    assertThat(mailer.handleRequest(QueueMessages.batchOf(List.of(ready)), null).getBatchItemFailures()).isEmpty();

    ReceivedMail mail = new ReceivedMail(aws.inbox().raw(aws.inbox().awaitMail(buyer, any -> true)));
    assertThat(mail.message().getSubject()).isEqualTo("Your tickets for Jazz <night> & more");
    assertThat(mail.header("From")).isEqualTo("Boxoffice <tickets@" + LocalCloudSettings.LOCAL_MAIL_DOMAIN + ">");
    assertThat(mail.html()).contains("Jazz &lt;night&gt; &amp; more").doesNotContain("<night>");
    assertThat(mail.text()).contains("Jazz <night> & more", "Le Périscope, Lyon", "/my/tickets");
    assertThat(mail.header("List-Unsubscribe")).as("a ticket email is no bulk mail").isNull();
    Map<String, byte[]> images = mail.inlineImages();
    assertThat(images).hasSize(2);
    for (IssuedTicket ticket : ready.tickets()) {
      String contentId = "qr-" + ticket.ticketId() + "@boxoffice";
      assertThat(mail.html()).contains("cid:" + contentId);
      assertThat(TicketTokens.verify(QrCodeReader.decode(images.get(contentId)),
          aws.secrets().ticketKeys().getPublic()).ticketId()).isEqualTo(ticket.ticketId());
    }
    Calendar calendar = mail.calendar();
    VEvent event = calendar.<VEvent>getComponent("VEVENT").orElseThrow();
    assertThat(event.getSummary().getValue()).isEqualTo("Jazz <night> & more");
    assertThat(event.getLocation().getValue()).isEqualTo("Le Périscope, Lyon");
    assertThat(Instant.from(event.getDateTimeStart().getDate())).isEqualTo(STARTS);
    assertThat(event.getUid().orElseThrow().getValue()).isEqualTo("order-" + ready.orderId() + "@boxoffice");
  }

  @Test
  @DisplayName("a failure in the middle of a batch comes back alone, and the whole batch again mails nobody twice")
  void failureMidBatch() throws Exception {
    List<TicketsReady> batch = new ArrayList<>();
    for (int index = 0; index < 10; index++) {
      batch.add(ticketsReady(unique("batch" + index), "Batch night", 1));
    }
    IssuedTicket notYetStored = batch.get(5).tickets().getFirst();
    byte[] qr = aws.admin().s3().getObjectAsBytes(get -> get.bucket(bucket).key(notYetStored.qrKey())).asByteArray();
    aws.admin().s3().deleteObject(delete -> delete.bucket(bucket).key(notYetStored.qrKey()));
    SQSEvent event = QueueMessages.batchOf(batch);

    SQSBatchResponse first = mailer.handleRequest(event, null);

    assertThat(first.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly(event.getRecords().get(5).getMessageId());
    aws.admin().s3().putObject(put -> put.bucket(bucket).key(notYetStored.qrKey()).contentType("image/png"),
        RequestBody.fromBytes(qr));
    assertThat(mailer.handleRequest(event, null).getBatchItemFailures()).isEmpty();
    for (TicketsReady ready : batch) {
      aws.inbox().awaitMail(ready.to(), any -> true);
    }
    Thread.sleep(500);
    for (TicketsReady ready : batch) {
      assertThat(aws.inbox().mailsTo(ready.to())).as(ready.to()).hasSize(1);
    }
  }

  @Test
  @DisplayName("the same notification published twice (a retried step, a restarted execution) is mailed once")
  void publishedTwice() throws Exception {
    String buyer = unique("twice");
    TicketsReady ready = ticketsReady(buyer, "Twice night", 1);
    NotificationTopic topic = topic();

    topic.publish(ready);
    topic.publish(ready);

    aws.inbox().awaitMail(buyer, any -> true);
    awaitLog(ready.id(), "sent");
    Thread.sleep(2000);
    assertThat(aws.inbox().mailsTo(buyer)).hasSize(1);
  }

  @Test
  @DisplayName("a poison message ends in the dead-letter queue after maxReceiveCount receives; its batch is mailed")
  void poisonToDeadLetters() throws Exception {
    String name = "mailer-test-" + UUID.randomUUID().toString().substring(0, 8);
    var sqs = aws.admin().sqs();
    String deadLetters = sqs.createQueue(create -> create.queueName(name + "-dlq")).queueUrl();
    String deadLettersArn = sqs.getQueueAttributes(get -> get.queueUrl(deadLetters)
        .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
    String queue = sqs.createQueue(create -> create.queueName(name).attributes(Map.of(
        QueueAttributeName.VISIBILITY_TIMEOUT, "1",
        QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + deadLettersArn
            + "\",\"maxReceiveCount\":2}"))).queueUrl();
    String buyer = unique("poison-neighbour");
    sqs.sendMessage(send -> send.queueUrl(queue).messageBody("{\"type\":\"tickets-ready\",\"id\":\"no body\"}"));
    sqs.sendMessage(send -> send.queueUrl(queue).messageBody(
        Notifications.toJson(SignInCode.of(UUID.randomUUID().toString()
            .replace("-", ""), buyer, "123456", Instant.now().plusSeconds(300)))));
    String queueArn = sqs.getQueueAttributes(get -> get.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
        .attributes().get(QueueAttributeName.QUEUE_ARN);
    EventSourceMappingDefinition mapping = new EventSourceMappingDefinition("TestMailMapping", queueArn, "mailer",
        10, 0, true, 2, true);

    List<Message> dead = List.of();
    try (SqsEventSourcePoller poller = SqsEventSourcePoller.start(mapping, sqs, (function, payload) ->
        Future.succeededFuture(QueueMessages.toJson(mailer.handleRequest(QueueMessages.fromPollerJson(payload),
            null))))) {
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (dead.isEmpty() && System.nanoTime() < deadline) {
        dead = sqs.receiveMessage(receive -> receive.queueUrl(deadLetters).waitTimeSeconds(1)).messages();
      }
    }

    assertThat(dead).extracting(Message::body).containsExactly("{\"type\":\"tickets-ready\",\"id\":\"no body\"}");
    assertThat(aws.inbox().awaitMail(buyer, any -> true).path("subject").asText())
        .isEqualTo("Your Boxoffice sign-in code");
  }

  @Test
  @DisplayName("an address SES reports as bounced for good is suppressed: the next notification to it is not sent")
  void bouncedAddressSuppressed() throws Exception {
    String bouncing = "bounce+" + UUID.randomUUID().toString().substring(0, 8) + "@simulator.amazonses.com";
    NotificationTopic topic = topic();
    SignInCode first = SignInCode.of(randomId(), bouncing, "111111", Instant.now().plusSeconds(300));

    topic.publish(first);

    awaitLog(first.id(), "sent");
    String table = aws.resources().tableName("SuppressionTable");
    Map<String, AttributeValue> suppressed = eventually(() -> Optional.ofNullable(aws.admin().dynamoDb().getItem(
        get -> get.tableName(table).key(Map.of("addressHash", AttributeValue.fromS(Hashing.sha256Hex(bouncing)))))
        .item()).filter(item -> !item.isEmpty()));
    assertThat(suppressed.get("reason").s()).isEqualTo("bounce");
    assertThat(suppressed.toString()).doesNotContain(bouncing);

    SignInCode second = SignInCode.of(randomId(), bouncing, "222222", Instant.now().plusSeconds(300));
    topic.publish(second);
    assertThat(awaitLog(second.id(), "suppressed").get("type").s()).isEqualTo("sign-in-code");
  }

  @Test
  @DisplayName("a sign-in code that expired in the queue is not sent")
  void expiredCodeNotSent() throws Exception {
    String late = unique("late");
    SignInCode expired = SignInCode.of(randomId(), late, "333333", Instant.now().minusSeconds(1));

    assertThat(mailer.handleRequest(QueueMessages.batchOf(List.of(expired)), null).getBatchItemFailures()).isEmpty();

    assertThat(awaitLog(expired.id(), "expired")).isNotNull();
    assertThat(aws.inbox().mailsTo(late)).isEmpty();
  }

  private TicketsReady ticketsReady(String buyer, String title, int count) {
    UUID orderId = UUID.randomUUID();
    UUID eventId = UUID.randomUUID();
    List<IssuedTicket> tickets = new ArrayList<>();
    for (int index = 0; index < count; index++) {
      UUID ticketId = UUID.randomUUID();
      String qrKey = CreateTicketHandler.qrKeyOf(ticketId);
      String token = TicketTokens.sign(new TicketClaims(ticketId, eventId, UUID.randomUUID(),
          STARTS.minusSeconds(86_400), STARTS.plusSeconds(86_400)), aws.secrets().ticketKeys().getPrivate());
      aws.admin().s3().putObject(put -> put.bucket(bucket).key(qrKey).contentType("image/png"),
          RequestBody.fromBytes(QrCodes.png(token)));
      tickets.add(new IssuedTicket(ticketId, qrKey));
    }
    return new TicketsReady(TicketsReady.idOf(orderId), buyer, null, orderId, new EventDetails(eventId, title,
        "Le Périscope", "Lyon", STARTS, STARTS.plusSeconds(7200), "Europe/Paris"), tickets);
  }

  private NotificationTopic topic() {
    return new NotificationTopic(aws.admin().sns(), aws.resources().topicArn("NotificationTopic"));
  }

  private Map<String, AttributeValue> awaitLog(String notificationId, String status) throws InterruptedException {
    String table = aws.resources().tableName("MailLogTable");
    return eventually(() -> Optional.ofNullable(aws.admin().dynamoDb().getItem(get -> get.tableName(table)
            .key(Map.of("notificationId", AttributeValue.fromS(notificationId))).consistentRead(true)).item())
        .filter(item -> !item.isEmpty() && status.equals(item.get("status").s())));
  }

  private static <T> T eventually(Supplier<Optional<T>> check) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<T> found = check.get();
      if (found.isPresent()) {
        return found.get();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not within " + PATIENCE);
  }

  private static String randomId() {
    return UUID.randomUUID().toString().replace("-", "");
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
  }
}
