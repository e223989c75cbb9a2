package dev.boxoffice.codecs.notifications;

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

class NotificationsTest {

  private static final Instant AT = Instant.parse("2026-12-04T19:30:00Z");
  private static final UUID EVENT = UUID.fromString("00000000-0000-4000-8000-000000000001");
  private static final UUID ORDER = UUID.fromString("00000000-0000-4000-8000-000000000002");
  private static final UUID TICKET = UUID.fromString("00000000-0000-4000-8000-000000000003");
  private static final EventDetails DETAILS = new EventDetails(EVENT, "Jazz night", "Le Périscope", "Lyon", AT,
      AT.plusSeconds(7200), "Europe/Paris");

  static List<Notification> oneOfEach() {
    return List.of(
        SignInCode.of("f00d", "Buyer@Example.org", "012345", AT),
        new SubscriptionConfirmation("subscription-confirmation:abc:n1", "fan@example.org", null,
            "https://tickets.example.com/subscription/confirm?token=t", List.of("jazz"), List.of(), AT),
        new TicketsReady(TicketsReady.idOf(ORDER), "buyer@example.org", "fr", ORDER, DETAILS,
            List.of(new IssuedTicket(TICKET, "tickets/" + TICKET + ".png"))),
        new EventAnnouncement("announcement:" + EVENT + ":abc", "fan@example.org", null,
            new EventDetails(EVENT, "Jazz night", null, "Lyon", AT, null, "Europe/Paris"), "jazz",
            "https://tickets.example.com/events/" + EVENT, "https://tickets.example.com/unsubscribe?token=t",
            "https://api.example.com/prod/unsubscribe?token=t"),
        new OrderCancelled(OrderCancelled.idOf(ORDER), "buyer@example.org", null, ORDER, DETAILS, 2, 5000, "EUR",
            true),
        new HoldExpired(HoldExpired.idOf(ORDER), "buyer@example.org", null, ORDER, DETAILS, 3),
        new PaymentDeclined(PaymentDeclined.idOf(TICKET), "buyer@example.org", null, ORDER, DETAILS,
            "Your card was declined.", AT),
        new PaymentRefunded(PaymentRefunded.idOf(TICKET), "buyer@example.org", null, TICKET, null, DETAILS, 0, 5000,
            "JPY", "payment_too_late"));
  }

  @Test
  @DisplayName("every notification type reads back equal to what was written")
  void roundTrip() throws Exception {
    for (Notification notification : oneOfEach()) {
      assertThat(Notifications.fromJson(Notifications.toJson(notification))).isEqualTo(notification);
    }
  }

  @Test
  @DisplayName("the JSON form carries the type tag, a normalised recipient, the default language and no nulls")
  void stableShape() throws Exception {
    JsonNode code = Json.mapper().readTree(Notifications.toJson(oneOfEach().getFirst()));
    assertThat(code.get("type").asText()).isEqualTo("sign-in-code");
    assertThat(code.get("id").asText()).isEqualTo("sign-in:f00d");
    assertThat(code.get("to").asText()).isEqualTo("buyer@example.org");
    assertThat(code.get("language").asText()).isEqualTo("en");
    assertThat(code.get("expiresAt").asText()).isEqualTo("2026-12-04T19:30:00Z");

    JsonNode announcement = Json.mapper().readTree(Notifications.toJson(oneOfEach().get(3)));
    assertThat(announcement.get("event").has("venue")).as("absent fields are left out").isFalse();
  }

  @Test
  @DisplayName("what the ticket-issuance workflow publishes reads as TicketsReady")
  void workflowShape() throws Exception {
    Notification read = Notifications.fromJson("""
        {"type": "tickets-ready", "id": "tickets-ready:%s", "to": "buyer@example.org", "orderId": "%s",
         "event": {"eventId": "%s", "title": "Jazz night", "venue": "Le Périscope", "city": "Lyon",
                   "startsAt": "2026-12-04T19:30:00Z", "endsAt": "2026-12-04T21:30:00Z", "timeZone": "Europe/Paris"},
         "tickets": [{"ticketId": "%s", "qrKey": "tickets/%s.png"}]}
        """.formatted(ORDER, ORDER, EVENT, TICKET, TICKET));
    assertThat(read).isEqualTo(new TicketsReady(TicketsReady.idOf(ORDER), "buyer@example.org", null, ORDER, DETAILS,
        List.of(new IssuedTicket(TICKET, "tickets/" + TICKET + ".png"))));
  }

  @Test
  @DisplayName("an unknown type, an unknown field, a bad address, a bad id or a missing field is no notification")
  void refusals() {
    String valid = Notifications.toJson(oneOfEach().getFirst());
    for (String json : List.of(
        valid.replace("sign-in-code", "sign-in-password"),
        valid.replace("\"code\"", "\"extra\":1,\"code\""),
        valid.replace("buyer@example.org", "not an address"),
        valid.replace("sign-in:f00d", "no kind here"),
        valid.replace("\"code\":\"012345\",", ""),
        "{\"type\":\"tickets-ready\"}",
        "not json")) {
      assertThatThrownBy(() -> Notifications.fromJson(json)).as(json).isInstanceOf(JsonProcessingException.class);
    }
  }

  @Test
  @DisplayName("a refund of nothing, in no currency or for an unknown reason, and an empty hold are refused")
  void paymentChecks() {
    assertThatThrownBy(() -> new PaymentRefunded(PaymentRefunded.idOf(TICKET), "b@example.org", null, TICKET, ORDER,
        DETAILS, 1, 0, "EUR", "order_cancelled")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PaymentRefunded(PaymentRefunded.idOf(TICKET), "b@example.org", null, TICKET, ORDER,
        DETAILS, 1, 100, "euro", "order_cancelled")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PaymentRefunded(PaymentRefunded.idOf(TICKET), "b@example.org", null, TICKET, ORDER,
        DETAILS, 1, 100, "EUR", "because")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HoldExpired(HoldExpired.idOf(ORDER), "b@example.org", null, ORDER, DETAILS, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("an event ending before it starts or in no known time zone is refused")
  void eventChecks() {
    assertThatThrownBy(() -> new EventDetails(EVENT, "T", null, "Lyon", AT, AT.minusSeconds(1), "Europe/Paris"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EventDetails(EVENT, "T", null, "Lyon", AT, null, "Mars/Olympus"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
