package dev.boxoffice.local.aws.cloudformation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An {@code AWS::DynamoDB::Table} resource with its intrinsics resolved.
 *
 * @param attributeTypes attribute name to scalar type ({@code S}, {@code N}, {@code B}) for every key attribute
 * @param timeToLiveAttribute the TTL attribute when {@code TimeToLiveSpecification.Enabled} is true
 */
public record TableDefinition(
    String logicalId,
    String tableName,
    Map<String, String> attributeTypes,
    KeySchema primaryKey,
    List<GlobalIndex> globalSecondaryIndexes,
    Optional<String> timeToLiveAttribute) {
}
