package dev.boxoffice.lambdas;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The mailer's record of each notification id ({@code BOXOFFICE_MAIL_LOG_TABLE}, key {@code notificationId}, kept 30
 * days by TTL), which makes sending idempotent whatever SNS and SQS deliver twice and however often a publisher
 * publishes the same notification.
 *
 * <p>Before sending, a mailer claims the id with a conditional write that only a new id, or one whose previous claim
 * has lapsed (its mailer died), passes; after SES accepted the mail it marks the id sent. So a notification is sent
 * at least once and, but for one case, at most once: a mailer that dies after SES accepted the mail and before the
 * mark leaves a lapsed claim, and the retry sends again. That window is a few milliseconds per mail; the opposite
 * choice (mark first, then send) would lose the mail in the same window, and a lost sign-in code or ticket email is
 * worse than a rare second copy.
 */
final class MailLog {

  static final String TABLE = "BOXOFFICE_MAIL_LOG_TABLE";
  /** A claim outlives the mailer's timeout, so no live mailer loses its claim to another. */
  static final Duration LEASE = Duration.ofMinutes(2);
  static final Duration RETENTION = Duration.ofDays(30);

  /** What became of a notification, as the log records it. */
  enum Outcome { SENT, SUPPRESSED, EXPIRED }

  /** The answer to a claim: send it, it was dealt with already, or another mailer is sending it right now. */
  enum Claim { CLAIMED, DONE, BUSY }

  private final DynamoDbClient dynamoDb;
  private final String table;

  MailLog(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  Claim claim(String notificationId, String type, Instant now) {
    try {
      dynamoDb.updateItem(update -> update.tableName(table).key(key(notificationId))
          .updateExpression("SET #status = :sending, leaseUntil = :lease, #type = :type, updatedAt = :now, "
              + "expiresAt = :ttl ADD attempts :one")
          .conditionExpression("attribute_not_exists(notificationId) OR (#status = :sending AND leaseUntil < :epoch)")
          .expressionAttributeNames(Map.of("#status", "status", "#type", "type"))
          .expressionAttributeValues(Map.of(
              ":sending", text("sending"),
              ":lease", number(now.plus(LEASE).getEpochSecond()),
              ":type", text(type),
              ":now", text(now.toString()),
              ":ttl", number(now.plus(RETENTION).getEpochSecond()),
              ":one", number(1),
              ":epoch", number(now.getEpochSecond()))));
      return Claim.CLAIMED;
    } catch (ConditionalCheckFailedException taken) {
      Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(table).key(key(notificationId))
          .consistentRead(true)).item();
      return item != null && "sending".equals(item.get("status").s()) ? Claim.BUSY : Claim.DONE;
    }
  }

  /** SES accepted the mail as {@code sesMessageId}. */
  void sent(String notificationId, String sesMessageId, Instant now) {
    dynamoDb.updateItem(update -> update.tableName(table).key(key(notificationId))
        .updateExpression("SET #status = :sent, sesMessageId = :messageId, sentAt = :now, updatedAt = :now "
            + "REMOVE leaseUntil")
        .expressionAttributeNames(Map.of("#status", "status"))
        .expressionAttributeValues(Map.of(":sent", text("sent"), ":messageId", text(sesMessageId),
            ":now", text(now.toString()))));
  }

  /** Gives a claim up after a failure, so the retry of the message need not wait for the lease to lapse. */
  void release(String notificationId) {
    try {
      dynamoDb.updateItem(update -> update.tableName(table).key(key(notificationId))
          .updateExpression("SET leaseUntil = :zero")
          .conditionExpression("#status = :sending")
          .expressionAttributeNames(Map.of("#status", "status"))
          .expressionAttributeValues(Map.of(":zero", number(0), ":sending", text("sending"))));
    } catch (ConditionalCheckFailedException notClaimed) {
      // nothing to give up
    }
  }

  /** Records a notification that is not to be sent (suppressed address, expired code), unless it was sent already. */
  void settled(String notificationId, String type, Outcome outcome, Instant now) {
    try {
      dynamoDb.putItem(put -> put.tableName(table).item(Map.of(
              "notificationId", text(notificationId),
              "status", text(outcome.name().toLowerCase(Locale.ROOT)),
              "type", text(type),
              "updatedAt", text(now.toString()),
              "expiresAt", number(now.plus(RETENTION).getEpochSecond())))
          .conditionExpression("attribute_not_exists(notificationId) OR #status = :sending")
          .expressionAttributeNames(Map.of("#status", "status"))
          .expressionAttributeValues(Map.of(":sending", text("sending"))));
    } catch (ConditionalCheckFailedException alreadySettled) {
      // sent or settled before: the first outcome stands
    }
  }

  private static Map<String, AttributeValue> key(String notificationId) {
    return Map.of("notificationId", text(notificationId));
  }

  private static AttributeValue text(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue number(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
