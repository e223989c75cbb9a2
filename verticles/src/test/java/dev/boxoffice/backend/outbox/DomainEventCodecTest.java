package dev.boxoffice.backend.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.codecs.events.DomainEvent;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DomainEventCodecTest {

  private final DomainEventCodec codec = new DomainEventCodec();

  @Test
  @DisplayName("an event crosses the wire as its codecs JSON and reads back equal, wherever it sits in the buffer")
  void wireRoundTrip() {
    for (DomainEvent event : TestEvents.orderHistory(2)) {
      Buffer buffer = Buffer.buffer().appendString("frame header");
      int position = buffer.length();
      codec.encodeToWire(buffer, event);
      buffer.appendString("next frame");

      assertThat(codec.decodeFromWire(position, buffer)).isEqualTo(event);
    }
  }

  @Test
  @DisplayName("locally the record itself is delivered, and bytes that are no domain event are refused")
  void localAndMalformed() {
    DomainEvent event = TestEvents.orderHistory(1).get(0);
    Buffer garbage = Buffer.buffer().appendInt(2).appendString("{}");

    assertThat(codec.transform(event)).isSameAs(event);
    assertThatThrownBy(() -> codec.decodeFromWire(0, garbage)).isInstanceOf(IllegalArgumentException.class);
  }
}
