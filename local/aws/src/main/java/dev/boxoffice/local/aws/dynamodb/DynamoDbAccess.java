package dev.boxoffice.local.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The IAM checks a DynamoDB API call needs: the action ({@code dynamodb:<Operation>}) on each table or index ARN it
 * touches, as DynamoDB's "actions, resources and condition keys" table lists them. Batch and transaction calls need
 * the action of each item on its table.
 */
record DynamoDbAccess(String action, String resourceArn) {

  private static final Map<String, String> TRANSACT_ACTIONS = Map.of("Put", "dynamodb:PutItem",
      "Update", "dynamodb:UpdateItem", "Delete", "dynamodb:DeleteItem", "ConditionCheck",
      "dynamodb:ConditionCheckItem", "Get", "dynamodb:GetItem");

  /** The checks of {@code operation} with {@code request} as its JSON body, in the order DynamoDB names them. */
  static List<DynamoDbAccess> of(String operation, JsonNode request, String region, String account) {
    String tables = "arn:aws:dynamodb:" + region + ":" + account + ":table/";
    String action = "dynamodb:" + operation;
    List<DynamoDbAccess> checks = new ArrayList<>();
    switch (operation) {
      case "ListTables", "DescribeLimits", "DescribeEndpoints", "ListBackups", "ListGlobalTables" ->
          checks.add(new DynamoDbAccess(action, "*"));
      case "BatchGetItem", "BatchWriteItem" -> request.path("RequestItems").fieldNames()
          .forEachRemaining(table -> checks.add(new DynamoDbAccess(action, tables + table)));
      case "TransactWriteItems", "TransactGetItems" -> request.path("TransactItems").forEach(item ->
          item.properties().forEach(kind -> checks.add(new DynamoDbAccess(
              TRANSACT_ACTIONS.getOrDefault(kind.getKey(), action),
              tables + kind.getValue().path("TableName").asText()))));
      case "TagResource", "UntagResource", "ListTagsOfResource" ->
          checks.add(new DynamoDbAccess(action, request.path("ResourceArn").asText()));
      default -> {
        String table = tables + request.path("TableName").asText();
        String index = request.path("IndexName").asText("");
        checks.add(new DynamoDbAccess(action, index.isEmpty() ? table : table + "/index/" + index));
      }
    }
    return checks;
  }
}
