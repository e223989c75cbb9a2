package dev.boxoffice.local.stepfunctions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One entry of an execution's history as GetExecutionHistory returns it.
 *
 * @param detailsField the API's name of the details member, e.g. {@code stateEnteredEventDetails}; null if none
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, String type, String detailsField,
    ObjectNode details) {
}
