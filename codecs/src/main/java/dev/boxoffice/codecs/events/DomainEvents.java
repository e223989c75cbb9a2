package dev.boxoffice.codecs.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.boxoffice.codecs.Json;
import java.io.UncheckedIOException;

/**
 * The stable JSON form of domain events: {@code {"type": "OrderPlaced", "id": "...", "occurredAt": "...Z", ...}},
 * instants in ISO-8601 UTC, unknown fields refused. The outbox stores it, the event bus carries it, Lambdas read it.
 */
public final class DomainEvents {

  private DomainEvents() {
  }

  public static String toJson(DomainEvent event) {
    try {
      return Json.mapper().writerFor(DomainEvent.class).writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static DomainEvent fromJson(String json) throws JsonProcessingException {
    return Json.read(json, DomainEvent.class);
  }
}
