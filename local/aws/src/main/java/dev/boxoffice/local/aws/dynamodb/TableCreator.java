package dev.boxoffice.local.aws.dynamodb;

import dev.boxoffice.local.aws.cloudformation.GlobalIndex;
import dev.boxoffice.local.aws.cloudformation.KeySchema;
import dev.boxoffice.local.aws.cloudformation.TableDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;

/** Creates the template's tables that do not exist yet; existing tables and their data are kept across restarts. */
final class TableCreator {

  private static final Logger LOG = LoggerFactory.getLogger(TableCreator.class);

  private final DynamoDbClient client;

  TableCreator(DynamoDbClient client) {
    this.client = client;
  }

  void createMissing(List<TableDefinition> tables) {
    Set<String> existing = new HashSet<>(client.listTablesPaginator().tableNames().stream().toList());
    for (TableDefinition table : tables) {
      if (existing.contains(table.tableName())) {
        continue;
      }
      try {
        client.createTable(createRequest(table));
        LOG.info("created table {} from {}", table.tableName(), table.logicalId());
      } catch (ResourceInUseException createdMeanwhile) {
        LOG.debug("table {} already exists", table.tableName());
      }
    }
  }

  static CreateTableRequest createRequest(TableDefinition table) {
    List<AttributeDefinition> attributes = new ArrayList<>();
    table.attributeTypes().forEach((name, type) ->
        attributes.add(AttributeDefinition.builder().attributeName(name).attributeType(type).build()));
    List<GlobalSecondaryIndex> indexes = table.globalSecondaryIndexes().stream()
        .map(TableCreator::globalIndex)
        .toList();
    CreateTableRequest.Builder request = CreateTableRequest.builder()
        .tableName(table.tableName())
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(attributes)
        .keySchema(keySchema(table.primaryKey()));
    if (!indexes.isEmpty()) {
      request.globalSecondaryIndexes(indexes);
    }
    return request.build();
  }

  private static GlobalSecondaryIndex globalIndex(GlobalIndex index) {
    Projection.Builder projection = Projection.builder().projectionType(ProjectionType.fromValue(index.projectionType()));
    if (!index.nonKeyAttributes().isEmpty()) {
      projection.nonKeyAttributes(index.nonKeyAttributes());
    }
    return GlobalSecondaryIndex.builder()
        .indexName(index.indexName())
        .keySchema(keySchema(index.keys()))
        .projection(projection.build())
        .build();
  }

  private static List<KeySchemaElement> keySchema(KeySchema keys) {
    List<KeySchemaElement> elements = new ArrayList<>();
    elements.add(KeySchemaElement.builder().attributeName(keys.partitionKey()).keyType(KeyType.HASH).build());
    keys.sortKey().ifPresent(sortKey ->
        elements.add(KeySchemaElement.builder().attributeName(sortKey).keyType(KeyType.RANGE).build()));
    return elements;
  }
}
