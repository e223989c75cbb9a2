package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A created state machine. Updates replace the record; running executions keep the definition they started with.
 *
 * @param definition the ASL JSON as the caller sent it
 * @param parsedDefinition the same, parsed and validated
 */
public record StateMachine(String arn, String name, String definition, JsonNode parsedDefinition, String roleArn,
    String type, Instant creationDate, Instant updateDate, String revisionId) {
}
