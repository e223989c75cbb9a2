package dev.boxoffice.backend.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.DomainEvents;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.nio.charset.StandardCharsets;

/**
 * Carries {@link DomainEvent}s on the event bus: as the records themselves locally (they are immutable), as the
 * codecs' JSON form (length-prefixed UTF-8) across a clustered bus.
 */
public final class DomainEventCodec implements MessageCodec<DomainEvent, DomainEvent> {

  public static final String NAME = "boxoffice.domain-event";

  @Override
  public void encodeToWire(Buffer buffer, DomainEvent event) {
    byte[] json = DomainEvents.toJson(event).getBytes(StandardCharsets.UTF_8);
    buffer.appendInt(json.length).appendBytes(json);
  }

  @Override
  public DomainEvent decodeFromWire(int pos, Buffer buffer) {
    int length = buffer.getInt(pos);
    String json = buffer.getString(pos + 4, pos + 4 + length, StandardCharsets.UTF_8.name());
    try {
      return DomainEvents.fromJson(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a domain event: " + e.getOriginalMessage(), e);
    }
  }

  @Override
  public DomainEvent transform(DomainEvent event) {
    return event;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
