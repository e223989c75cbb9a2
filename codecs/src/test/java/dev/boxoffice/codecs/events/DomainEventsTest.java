package dev.boxoffice.codecs.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.Json;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DomainEventsTest {

  private static final Instant AT = Instant.parse("2026-11-26T10:15:30.123Z");
  private static final UUID EVENT = UUID.fromString("00000000-0000-4000-8000-000000000001");
  private static final UUID ORDER = UUID.fromString("00000000-0000-4000-8000-000000000002");
  private static final UUID TYPE = UUID.fromString("00000000-0000-4000-8000-000000000003");
  private static final UUID TICKET = UUID.fromString("00000000-0000-4000-8000-000000000004");

  static List<DomainEvent> oneOfEach() {
    return List.of(
        new EventPublished(UUID.randomUUID(), AT, EVENT, "org@example.org", "Jazz night", "music", "Lyon",
            AT.plusSeconds(86_400), AT.plusSeconds(90_000), "Europe/Paris"),
        new EventCancelled(UUID.randomUUID(), AT, EVENT, "org@example.org"),
        new OrderPlaced(UUID.randomUUID(), AT, ORDER, EVENT, TYPE, "buyer@example.org", List.of(TICKET), 1, 2500,
            "EUR", AT),
        new OrderCancelled(UUID.randomUUID(), AT, ORDER, EVENT, TYPE, "buyer@example.org", List.of(TICKET),
            "org@example.org"),
        new TicketIssued(UUID.randomUUID(), AT, TICKET, ORDER, EVENT, TYPE, "buyer@example.org", AT,
            AT.plusSeconds(90_000)),
        new HoldExpired(UUID.randomUUID(), AT, ORDER, EVENT, TYPE, "buyer@example.org", 2),
        new PaymentDeclined(UUID.randomUUID(), AT, ORDER, EVENT, "buyer@example.org", "Your card was declined."),
        new PaymentRefunded(UUID.randomUUID(), AT, UUID.randomUUID(), ORDER, null, EVENT, "buyer@example.org", 5000,
            "EUR", 2, "payment_too_late"));
  }

  @Test
  @DisplayName("every event type reads back equal to what was written")
  void roundTrip() throws Exception {
    for (DomainEvent event : oneOfEach()) {
      assertThat(DomainEvents.fromJson(DomainEvents.toJson(event))).isEqualTo(event);
    }
  }

  @Test
  @DisplayName("the JSON form carries the type tag, the id and occurredAt as an ISO UTC instant")
  void stableShape() throws Exception {
    DomainEvent placed = oneOfEach().get(2);

    JsonNode json = Json.mapper().readTree(DomainEvents.toJson(placed));

    assertThat(json.get("type").asText()).isEqualTo("OrderPlaced");
    assertThat(json.get("id").asText()).isEqualTo(placed.id().toString());
    assertThat(json.get("occurredAt").asText()).isEqualTo("2026-11-26T10:15:30.123Z");
    assertThat(json.get("ticketIds").get(0).asText()).isEqualTo(TICKET.toString());
    assertThat(placed.type()).isEqualTo("OrderPlaced");
    assertThat(placed.aggregateId()).isEqualTo(ORDER);
  }

  @Test
  @DisplayName("an unknown type, an unknown field or a missing field is refused")
  void refusesUnknown() {
    String json = DomainEvents.toJson(oneOfEach().get(1));

    assertThatThrownBy(() -> DomainEvents.fromJson(json.replace("EventCancelled", "EventExploded")))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> DomainEvents.fromJson(json.replace("{", "{\"extra\":1,")))
        .isInstanceOf(JsonProcessingException.class);
    assertThatThrownBy(() -> DomainEvents.fromJson("{\"type\":\"EventCancelled\",\"id\":\"" + UUID.randomUUID() + "\"}"))
        .isInstanceOf(JsonProcessingException.class);
  }
}
