package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.boxoffice.codecs.notifications.Notification;
import dev.boxoffice.codecs.notifications.Notifications;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** SQS events for the mailer as Lambda hands them over, built from notifications or from the poller's JSON. */
final class QueueMessages {

  private QueueMessages() {
  }

  static SQSEvent batchOf(List<? extends Notification> notifications) {
    List<String> bodies = notifications.stream().map(Notifications::toJson).map(String.class::cast).toList();
    return batchOfBodies(bodies);
  }

  static SQSEvent batchOfBodies(List<String> bodies) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (String body : bodies) {
      SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
      message.setMessageId(UUID.randomUUID().toString());
      message.setBody(body);
      message.setEventSource("aws:sqs");
      records.add(message);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  /** The event the local poller sends as JSON, as the Lambda runtime would deserialize it for the mailer. */
  static SQSEvent fromPollerJson(String payload) {
    List<SQSEvent.SQSMessage> records = new ArrayList<>();
    for (Object each : new JsonObject(payload).getJsonArray("Records")) {
      JsonObject record = (JsonObject) each;
      SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
      message.setMessageId(record.getString("messageId"));
      message.setReceiptHandle(record.getString("receiptHandle"));
      message.setBody(record.getString("body"));
      records.add(message);
    }
    SQSEvent event = new SQSEvent();
    event.setRecords(records);
    return event;
  }

  /** The mailer's answer as the Lambda runtime serializes it back for the poller. */
  static String toJson(SQSBatchResponse response) {
    JsonArray failures = new JsonArray();
    response.getBatchItemFailures().forEach(failure ->
        failures.add(new JsonObject().put("itemIdentifier", failure.getItemIdentifier())));
    return new JsonObject().put("batchItemFailures", failures).encode();
  }
}
