package dev.boxoffice.lambdas;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The OTP table: one item per address ({@code emailHash}, the table's key) holding the pending code
 * ({@code codeHash}, {@code codeSalt}, {@code codeExpiresAt}, {@code attempts}) and the hourly send window
 * ({@code windowStart}, {@code sendsInWindow}), with {@code expiresAt} (epoch seconds) for DynamoDB TTL. Every limit
 * is enforced by a conditional write, so concurrent requests cannot slip past one.
 */
final class OtpTable {

  static final String TABLE = "BOXOFFICE_OTP_TABLE";
  static final int MAX_SENDS_PER_WINDOW = 5;
  static final Duration SEND_WINDOW = Duration.ofHours(1);
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

  /** Why no attempt could be counted: no code pending (or consumed), the code expired, or its attempts are used up. */
  enum Refusal { NO_CODE, EXPIRED, TOO_MANY_ATTEMPTS }

  /**
   * Stores a new code for the address (replacing a pending one) if the address has sends left in its hourly window.
   *
   * @return false when the address has used its {@value #MAX_SENDS_PER_WINDOW} sends of the current hour
   */
  boolean storeCode(String emailHash, String codeHash, String salt, Instant codeExpiresAt, Instant now) {
    Map<String, AttributeValue> values = Map.of(
        ":hash", text(codeHash),
        ":salt", text(salt),
        ":codeExpiresAt", number(codeExpiresAt.getEpochSecond()),
        ":zero", number(0),
        ":one", number(1),
        ":ttl", number(now.plus(SEND_WINDOW).getEpochSecond()),
        ":windowFloor", number(now.minus(SEND_WINDOW).getEpochSecond()),
        ":max", number(MAX_SENDS_PER_WINDOW),
        ":now", number(now.getEpochSecond()));
    // Two rounds: a concurrent request may open a new window between our two conditions; the second round joins it.
    for (int round = 0; round < 2; round++) {
      try {
        dynamoDb.updateItem(update -> update.tableName(tableName)
            .key(key(emailHash))
            .updateExpression("SET codeHash = :hash, codeSalt = :salt, codeExpiresAt = :codeExpiresAt, "
                + "attempts = :zero, expiresAt = :ttl ADD sendsInWindow :one")
            .conditionExpression("windowStart > :windowFloor AND sendsInWindow < :max")
            .expressionAttributeValues(without(values, ":now")));
        return true;
      } catch (ConditionalCheckFailedException windowFullOrOver) {
        try {
          dynamoDb.updateItem(update -> update.tableName(tableName)
              .key(key(emailHash))
              .updateExpression("SET codeHash = :hash, codeSalt = :salt, codeExpiresAt = :codeExpiresAt, "
                  + "attempts = :zero, expiresAt = :ttl, windowStart = :now, sendsInWindow = :one")
              .conditionExpression("attribute_not_exists(emailHash) OR windowStart <= :windowFloor")
              .expressionAttributeValues(without(values, ":max")));
          return true;
        } catch (ConditionalCheckFailedException windowStillOpen) {
          // The window is open: either full, or opened concurrently (then the next round counts us in it).
        }
      }
    }
    return false;
  }

  /**
   * Counts one attempt at the address's pending code, if it is pending, unexpired and has attempts left.
   *
   * @return the code to compare against, or the refusal
   */
  Result<PendingCode, Refusal> countAttempt(String emailHash, Instant now) {
    try {
      Map<String, AttributeValue> item = dynamoDb.updateItem(update -> update.tableName(tableName)
          .key(key(emailHash))
          .updateExpression("SET attempts = attempts + :one")
          .conditionExpression("attribute_exists(codeHash) AND codeExpiresAt > :now AND attempts < :max")
          .expressionAttributeValues(Map.of(
              ":one", number(1), ":now", number(now.getEpochSecond()), ":max", number(MAX_ATTEMPTS)))
          .returnValues(ReturnValue.ALL_NEW)).attributes();
      return Result.ok(new PendingCode(item.get("codeHash").s(), item.get("codeSalt").s()));
    } catch (ConditionalCheckFailedException e) {
      return Result.refused(refusalFor(emailHash, now));
    }
  }

  /** Removes the pending code if it is still the one that was matched, so it admits exactly once. */
  boolean consume(String emailHash, String codeHash) {
    try {
      dynamoDb.updateItem(update -> update.tableName(tableName)
          .key(key(emailHash))
          .updateExpression("REMOVE codeHash, codeSalt, codeExpiresAt, attempts")
          .conditionExpression("codeHash = :hash")
          .expressionAttributeValues(Map.of(":hash", text(codeHash))));
      return true;
    } catch (ConditionalCheckFailedException e) {
      return false;
    }
  }

  Optional<Map<String, AttributeValue>> item(String emailHash) {
    Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(tableName).key(key(emailHash))
        .consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
  }

  private Refusal refusalFor(String emailHash, Instant now) {
    Optional<Map<String, AttributeValue>> item = item(emailHash);
    if (item.isEmpty() || !item.get().containsKey("codeHash")) {
      return Refusal.NO_CODE;
    }
    if (Long.parseLong(item.get().get("codeExpiresAt").n()) <= now.getEpochSecond()) {
      return Refusal.EXPIRED;
    }
    return Refusal.TOO_MANY_ATTEMPTS;
  }

  private static Map<String, AttributeValue> key(String emailHash) {
    return Map.of("emailHash", text(emailHash));
  }

  private static Map<String, AttributeValue> without(Map<String, AttributeValue> values, String name) {
    Map<String, AttributeValue> copy = new HashMap<>(values);
    copy.remove(name);
    return copy;
  }

  private static AttributeValue text(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue number(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  /** Either a value or the reason there is none. */
  record Result<T, R>(T value, R refusal) {

    static <T, R> Result<T, R> ok(T value) {
      return new Result<>(value, null);
    }

    static <T, R> Result<T, R> refused(R refusal) {
      return new Result<>(null, refusal);
    }
  }
}
