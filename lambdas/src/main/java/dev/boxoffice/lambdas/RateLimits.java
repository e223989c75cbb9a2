package dev.boxoffice.lambdas;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The rate-limit table ({@code BOXOFFICE_RATE_LIMIT_TABLE}, key {@code pk}, TTL {@code expiresAt}) that every
 * container of the sign-in and subscription functions shares: one item per (budget, caller) holding the current
 * window ({@code windowStart}, {@code uses}) and the time of the last use ({@code lastAt}). Every use is a conditional
 * write, so concurrent requests on any number of containers cannot slip past a limit.
 *
 * <p>A {@link Budget} lets {@code allowance} uses through per window; after that, with a back-off, each further use
 * must wait twice as long after the previous one as the one before had to ({@code firstDelay}, 2×, 4×, ... at most
 * {@code maxDelay}), and without one the rest of the window is closed. A new window starts afresh.
 */
final class RateLimits {

  static final String TABLE = "BOXOFFICE_RATE_LIMIT_TABLE";

  /** Rounds of read-then-write lost to concurrent uses of the same item before the use is refused as contended. */
  private static final int MAX_ROUNDS = 4;

  /**
   * How many uses a window allows before backing off.
   *
   * @param name the budget's part of the item key, e.g. {@code send-ip}
   * @param firstDelay the wait after the allowance is used up, doubled for each further use; null: none until the
   *     window ends
   */
  record Budget(String name, int allowance, Duration window, Duration firstDelay, Duration maxDelay) {

    /** The wait after the {@code beyond}-th use past the allowance (1 for the first). */
    Duration delayAfter(int beyond) {
      int doublings = Math.clamp(beyond - 1, 0, 30);
      Duration delay = firstDelay.multipliedBy(1L << doublings);
      return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
  }

  private final DynamoDbClient dynamoDb;
  private final String tableName;

  RateLimits(DynamoDbClient dynamoDb, String tableName) {
    this.dynamoDb = dynamoDb;
    this.tableName = tableName;
  }

  /**
   * Counts one use of {@code budget} by {@code caller} if the budget allows it now.
   *
   * @return empty when the use was counted, otherwise how long the caller must wait
   */
  Optional<Duration> spend(Budget budget, String caller, Instant now) {
    String key = budget.name() + "#" + caller;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      if (withinAllowance(key, budget, now)) {
        return Optional.empty();
      }
      Optional<Map<String, AttributeValue>> item = item(key);
      if (item.isEmpty() || windowStart(item.get()).plus(budget.window()).compareTo(now) <= 0) {
        if (openWindow(key, budget, item.map(RateLimits::windowStart), now)) {
          return Optional.empty();
        }
        continue;
      }
      long uses = Long.parseLong(item.get().get("uses").n());
      if (uses < budget.allowance()) {
        // The conditional write failed on an item that did not exist yet or on a window since reopened: another
        // request opened it between the two reads, and this use is still within the allowance.
        continue;
      }
      Instant windowEnd = windowStart(item.get()).plus(budget.window());
      if (budget.firstDelay() == null) {
        return Optional.of(Duration.between(now, windowEnd));
      }
      Instant allowedAt = Instant.ofEpochMilli(Long.parseLong(item.get().get("lastAt").n()))
          .plus(budget.delayAfter((int) Math.min(uses - budget.allowance() + 1, Integer.MAX_VALUE)));
      if (allowedAt.isAfter(now)) {
        return Optional.of(Duration.between(now, allowedAt));
      }
      if (countUse(key, uses, now)) {
        return Optional.empty();
      }
    }
    return Optional.of(Duration.ofSeconds(1));
  }

  /** The common case in one write: a use within the allowance of a window still open. */
  private boolean withinAllowance(String key, Budget budget, Instant now) {
    try {
      dynamoDb.updateItem(update -> update.tableName(tableName)
          .key(key(key))
          .updateExpression("ADD uses :one SET lastAt = :nowMillis")
          .conditionExpression("windowStart > :windowFloor AND uses < :allowance")
          .expressionAttributeValues(Map.of(
              ":one", number(1),
              ":nowMillis", number(now.toEpochMilli()),
              ":windowFloor", number(now.minus(budget.window()).toEpochMilli()),
              ":allowance", number(budget.allowance()))));
      return true;
    } catch (ConditionalCheckFailedException noItemWindowOverOrAllowanceUsed) {
      return false;
    }
  }

  /** Starts a new window with this use, unless another request started one since {@code seenStart} was read. */
  private boolean openWindow(String key, Budget budget, Optional<Instant> seenStart, Instant now) {
    try {
      dynamoDb.updateItem(update -> update.tableName(tableName)
          .key(key(key))
          .updateExpression("SET windowStart = :nowMillis, uses = :one, lastAt = :nowMillis, expiresAt = :ttl")
          .conditionExpression(seenStart.isPresent() ? "windowStart = :seenStart" : "attribute_not_exists(pk)")
          .expressionAttributeValues(seenStart
              .map(start -> Map.of(":nowMillis", number(now.toEpochMilli()), ":one", number(1),
                  ":ttl", number(ttl(budget, now)), ":seenStart", number(start.toEpochMilli())))
              .orElse(Map.of(":nowMillis", number(now.toEpochMilli()), ":one", number(1),
                  ":ttl", number(ttl(budget, now))))));
      return true;
    } catch (ConditionalCheckFailedException startedMeanwhile) {
      return false;
    }
  }

  /** Counts a use past the allowance, unless another use was counted since {@code seenUses} was read. */
  private boolean countUse(String key, long seenUses, Instant now) {
    try {
      dynamoDb.updateItem(update -> update.tableName(tableName)
          .key(key(key))
          .updateExpression("SET uses = :uses, lastAt = :nowMillis")
          .conditionExpression("uses = :seenUses")
          .expressionAttributeValues(Map.of(
              ":uses", number(seenUses + 1),
              ":seenUses", number(seenUses),
              ":nowMillis", number(now.toEpochMilli()))));
      return true;
    } catch (ConditionalCheckFailedException usedMeanwhile) {
      return false;
    }
  }

  /** Records a fact that lasts {@code lifetime}, such as a network an address signed in from. */
  void remember(String key, Instant now, Duration lifetime) {
    dynamoDb.updateItem(update -> update.tableName(tableName)
        .key(key(key))
        .updateExpression("SET expiresAt = :ttl")
        .expressionAttributeValues(Map.of(":ttl", number(now.plus(lifetime).getEpochSecond()))));
  }

  /** Whether a fact recorded by {@link #remember} still holds (DynamoDB deletes expired items only eventually). */
  boolean remembers(String key, Instant now) {
    return item(key).filter(item -> Long.parseLong(item.get("expiresAt").n()) > now.getEpochSecond()).isPresent();
  }

  private Optional<Map<String, AttributeValue>> item(String key) {
    Map<String, AttributeValue> item = dynamoDb.getItem(get -> get.tableName(tableName).key(key(key))
        .consistentRead(true)).item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
  }

  /** Kept until the window and the longest back-off after it have passed; DynamoDB's TTL then removes it. */
  private static long ttl(Budget budget, Instant now) {
    Duration longest = budget.maxDelay() == null ? Duration.ZERO : budget.maxDelay();
    return now.plus(budget.window()).plus(longest).getEpochSecond();
  }

  private static Instant windowStart(Map<String, AttributeValue> item) {
    return Instant.ofEpochMilli(Long.parseLong(item.get("windowStart").n()));
  }

  private static Map<String, AttributeValue> key(String key) {
    return Map.of("pk", AttributeValue.fromS(key));
  }

  private static AttributeValue number(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }
}
