package dev.boxoffice.local.aws.dynamodb;

import dev.boxoffice.local.aws.cloudformation.TableDefinition;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * DynamoDB TTL for dynalite: deletes items whose TTL attribute is a number of epoch seconds in the past. Like
 * DynamoDB it ignores items without the attribute or with a non-number value, and the delete is conditional so an
 * item rewritten with a later expiry in the meantime survives.
 */
final class TimeToLiveSweeper {

  private final DynamoDbClient client;
  private final List<TableDefinition> tablesWithTtl;

  TimeToLiveSweeper(DynamoDbClient client, List<TableDefinition> tables) {
    this.client = client;
    this.tablesWithTtl = tables.stream().filter(table -> table.timeToLiveAttribute().isPresent()).toList();
  }

  int deleteExpired() {
    String now = Long.toString(Instant.now().getEpochSecond());
    int deleted = 0;
    for (TableDefinition table : tablesWithTtl) {
      deleted += deleteExpired(table, now);
    }
    return deleted;
  }

  private int deleteExpired(TableDefinition table, String now) {
    Map<String, String> names = new HashMap<>();
    names.put("#ttl", table.timeToLiveAttribute().orElseThrow());
    Map<String, AttributeValue> values = Map.of(":now", AttributeValue.fromN(now));
    ScanRequest scan = ScanRequest.builder()
        .tableName(table.tableName())
        .filterExpression("#ttl < :now")
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .build();
    int deleted = 0;
    for (Map<String, AttributeValue> item : client.scanPaginator(scan).items()) {
      Map<String, AttributeValue> key = new HashMap<>();
      key.put(table.primaryKey().partitionKey(), item.get(table.primaryKey().partitionKey()));
      table.primaryKey().sortKey().ifPresent(sortKey -> key.put(sortKey, item.get(sortKey)));
      try {
        client.deleteItem(delete -> delete.tableName(table.tableName()).key(key)
            .conditionExpression("#ttl < :now")
            .expressionAttributeNames(names)
            .expressionAttributeValues(values));
        deleted++;
      } catch (ConditionalCheckFailedException rewrittenMeanwhile) {
        // the item got a later expiry between scan and delete, as DynamoDB's TTL would tolerate
      }
    }
    return deleted;
  }
}
