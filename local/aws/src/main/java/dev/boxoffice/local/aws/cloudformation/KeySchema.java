package dev.boxoffice.local.aws.cloudformation;

import java.util.Optional;

/** The HASH and optional RANGE key attribute names of a table or index. */
public record KeySchema(String partitionKey, Optional<String> sortKey) {
}
