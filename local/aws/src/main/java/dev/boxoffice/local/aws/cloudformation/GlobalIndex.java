package dev.boxoffice.local.aws.cloudformation;

import java.util.List;

/** A global secondary index: its keys and projection ({@code ALL}, {@code KEYS_ONLY}, {@code INCLUDE}). */
public record GlobalIndex(String indexName, KeySchema keys, String projectionType, List<String> nonKeyAttributes) {
}
