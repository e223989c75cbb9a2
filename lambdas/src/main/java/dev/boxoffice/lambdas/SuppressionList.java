package dev.boxoffice.lambdas;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Addresses Boxoffice no longer mails ({@code BOXOFFICE_SUPPRESSION_TABLE}, key {@code addressHash}, the SHA-256 of
 * the normalised address): those that bounced for good or whose owner marked a mail as spam, as SES reported them.
 * The mailer asks before every send; mailing them again would hurt the sending reputation of every Boxoffice mail.
 */
final class SuppressionList {

  static final String TABLE = "BOXOFFICE_SUPPRESSION_TABLE";

  private final DynamoDbClient dynamoDb;
  private final String table;

  SuppressionList(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = dynamoDb;
    this.table = table;
  }

  boolean contains(String email) {
    Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(table).key(key(email))).item();
    return item != null && !item.isEmpty();
  }

  /** Suppresses {@code email} for {@code reason} (bounce or complaint), as SES's event {@code feedbackId} says. */
  void suppress(String email, String reason, String detail, String feedbackId, Instant at) {
    dynamoDb.putItem(put -> put.tableName(table).item(Map.of(
        "addressHash", AttributeValue.fromS(Hashing.sha256Hex(email)),
        "reason", AttributeValue.fromS(reason),
        "detail", AttributeValue.fromS(detail),
        "feedbackId", AttributeValue.fromS(feedbackId),
        "suppressedAt", AttributeValue.fromS(at.toString()))));
  }

  private static Map<String, AttributeValue> key(String email) {
    return Map.of("addressHash", AttributeValue.fromS(Hashing.sha256Hex(email)));
  }
}
