package dev.boxoffice.lambdas;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The OTP table: one item per code sent ({@code codeSlot}, the table's key: see {@link OneTimePasswords#codeSlot})
 * holding its salted hash ({@code codeHash}, {@code codeSalt}), its expiry ({@code codeExpiresAt}) and the attempts
 * at it ({@code attempts}), with {@code expiresAt} (epoch seconds) for DynamoDB TTL. How many codes may be sent is
 * {@link SignInLimits}' business; the attempt limit is enforced here by a conditional write, so concurrent guesses
 * cannot slip past it.
 */
final class OtpTable {

  static final String TABLE = "BOXOFFICE_OTP_TABLE";
  static final int MAX_ATTEMPTS = 5;

  private final DynamoDbClient dynamoDb;
  private final String tableName;

  OtpTable(DynamoDbClient dynamoDb, String tableName) {
    this.dynamoDb = dynamoDb;
    this.tableName = tableName;
  }

  /** A pending code as stored, after one attempt at it was counted. */
  record PendingCode(String codeHash, String salt) {
  }

  void storeCode(String slot, String codeHash, String salt, Instant codeExpiresAt) {
    dynamoDb.putItem(put -> put.tableName(tableName).item(Map.of(
        "codeSlot", text(slot),
        "codeHash", text(codeHash),
        "codeSalt", text(salt),
        "codeExpiresAt", number(codeExpiresAt.getEpochSecond()),
        "attempts", number(0),
        "expiresAt", number(codeExpiresAt.getEpochSecond()))));
  }

  /**
   * Counts one attempt at the code of {@code slot}, if it is pending, unexpired and has attempts left.
   *
   * @return the code to compare against; empty when there is none to try, whatever the reason (unknown slot, used,
   *     expired, attempts used up), which the caller answers alike
   */
  Optional<PendingCode> countAttempt(String slot, Instant now) {
    try {
      Map<String, AttributeValue> item = dynamoDb.updateItem(update -> update.tableName(tableName)
          .key(key(slot))
          .updateExpression("SET attempts = attempts + :one")
          .conditionExpression("attribute_exists(codeHash) AND codeExpiresAt > :now AND attempts < :max")
          .expressionAttributeValues(Map.of(
              ":one", number(1), ":now", number(now.getEpochSecond()), ":max", number(MAX_ATTEMPTS)))
          .returnValues(ReturnValue.ALL_NEW)).attributes();
      return Optional.of(new PendingCode(item.get("codeHash").s(), item.get("codeSalt").s()));
    } catch (ConditionalCheckFailedException nothingToTry) {
      return Optional.empty();
    }
  }

  /** Deletes the code if it is still the one that was matched, so it admits exactly once. */
  boolean consume(String slot, String codeHash) {
    try {
      dynamoDb.deleteItem(delete -> delete.tableName(tableName)
          .key(key(slot))
          .conditionExpression("codeHash = :hash")
          .expressionAttributeValues(Map.of(":hash", text(codeHash))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  private static Map<String, AttributeValue> key(String slot) {
    return Map.of("codeSlot", text(slot));
  }

  private static AttributeValue text(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue number(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
