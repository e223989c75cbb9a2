package dev.boxoffice.local.aws.dynamodb;

import dev.boxoffice.local.aws.cloudformation.GlobalIndex;
import dev.boxoffice.local.aws.cloudformation.KeySchema;
import dev.boxoffice.local.aws.cloudformation.TableDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.retry.backoff.FixedDelayBackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * Brings the tables in line with the template: creates the missing ones and keeps existing ones with their items
 * across restarts. A table whose keys or GSIs differ from the template is recreated empty, since dynalite cannot
 * alter keys or indexes in place (CloudFormation too replaces a table whose key schema changes).
 */
final class TableCreator {

  private static final Logger LOG = LoggerFactory.getLogger(TableCreator.class);

  private final DynamoDbClient client;

  TableCreator(DynamoDbClient client) {
    this.client = client;
  }

  void createOrReplace(List<TableDefinition> tables) {
    Set<String> existing = new HashSet<>(client.listTablesPaginator().tableNames().stream().toList());
    for (TableDefinition table : tables) {
      if (!existing.contains(table.tableName())) {
        create(table);
        continue;
      }
      TableDescription current = client.describeTable(describe -> describe.tableName(table.tableName())).table();
      String wanted = shape(createRequest(table));
      String found = shape(current);
      if (!wanted.equals(found)) {
        LOG.warn("table {} differs from the template (has {}, template wants {}); recreating it empty",
            table.tableName(), found, wanted);
        client.deleteTable(delete -> delete.tableName(table.tableName()));
        try (DynamoDbWaiter waiter = DynamoDbWaiter.builder()
            .client(client)
            .overrideConfiguration(wait -> wait
                .backoffStrategy(FixedDelayBackoffStrategy.create(Duration.ofMillis(50)))
                .maxAttempts(200))
            .build()) {
          waiter.waitUntilTableNotExists(describe -> describe.tableName(table.tableName()));
        }
        create(table);
      }
    }
  }

  private void create(TableDefinition table) {
    try {
      client.createTable(createRequest(table));
      LOG.info("created table {} from {}", table.tableName(), table.logicalId());
    } catch (ResourceInUseException createdMeanwhile) {
      LOG.debug("table {} already exists", table.tableName());
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

  /** Keys, key attribute types and GSIs, written the same way for the template and for the table found. */
  private static String shape(CreateTableRequest request) {
    Map<String, String> indexes = new TreeMap<>();
    request.globalSecondaryIndexes().forEach(index ->
        indexes.put(index.indexName(), index.keySchema() + " " + index.projection().projectionTypeAsString()));
    return shape(request.keySchema(), request.attributeDefinitions(), indexes);
  }

  private static String shape(TableDescription table) {
    Map<String, String> indexes = new TreeMap<>();
    for (GlobalSecondaryIndexDescription index : table.globalSecondaryIndexes()) {
      indexes.put(index.indexName(), index.keySchema() + " " + index.projection().projectionTypeAsString());
    }
    return shape(table.keySchema(), table.attributeDefinitions(), indexes);
  }

  private static String shape(List<KeySchemaElement> keys, List<AttributeDefinition> attributes,
                              Map<String, String> indexes) {
    Map<String, String> attributeTypes = new TreeMap<>();
    attributes.forEach(attribute -> attributeTypes.put(attribute.attributeName(), attribute.attributeTypeAsString()));
    return "keys " + keys + ", attributes " + attributeTypes + ", indexes " + indexes;
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
