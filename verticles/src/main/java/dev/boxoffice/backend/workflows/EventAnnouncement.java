package dev.boxoffice.backend.workflows;

import dev.boxoffice.codecs.events.EventPublished;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Starts the announcement of a published event: the event-announcement state machine, named after the
 * {@code EventPublished} domain event's id, so that starting it again (a relayed-again event, the catch-up) never
 * sends a second announcement.
 */
final class EventAnnouncement {

  private final StepFunctions stepFunctions;
  private final String stateMachineArn;

  EventAnnouncement(StepFunctions stepFunctions, String stateMachineArn) {
    this.stepFunctions = stepFunctions;
    this.stateMachineArn = stateMachineArn;
  }

  /** The execution continues the trace of {@code traceHeader} (null: none). */
  Future<Void> start(EventPublished published, String traceHeader) {
    JsonObject input = new JsonObject()
        .put("eventId", published.eventId().toString())
        .put("title", published.title())
        .put("category", published.category())
        .put("city", published.city())
        .put("startsAt", published.startsAt().toString())
        .put("timeZone", published.timeZone());
    return stepFunctions.start(stateMachineArn, published.id().toString(), input.encode(), traceHeader).mapEmpty();
  }
}
