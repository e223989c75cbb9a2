package dev.boxoffice.codecs.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.boxoffice.codecs.Json;
import java.io.UncheckedIOException;

/**
 * The stable JSON form of domain events: {@code {"type": "OrderPlaced", "id": "...", "occurredAt": "...Z", ...}},
 * instants in ISO-8601 UTC, unknown fields refused. The outbox stores it, the event bus carries it, Lambdas read it.
 */
public final class DomainEvents {

  private static final ObjectWriter WRITER = Json.mapper().writerFor(DomainEvent.class);
  private static final ObjectReader READER = Json.mapper().readerFor(DomainEvent.class);

  private DomainEvents() {
  }

  public static String toJson(DomainEvent event) {
    try {
      return WRITER.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static DomainEvent fromJson(String json) throws JsonProcessingException {
    return READER.readValue(json);
  }
}
