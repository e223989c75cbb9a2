package dev.boxoffice.codecs.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.boxoffice.codecs.Json;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiRecordsTest {

  @Test
  @DisplayName("a create-ticket chunk written by the backend reads back equal in the Lambda")
  void createTicketsRoundTrip() throws JsonProcessingException {
    CreateTicketsRequest request = new CreateTicketsRequest(UUID.randomUUID(),
        new CreateTicketsRequest.Event(UUID.randomUUID(), "Night", "organizer@example.test", "Arena", "Lyon",
            Instant.parse("2026-12-01T20:00:00Z"), Instant.parse("2026-12-01T23:00:00Z"), "Europe/Paris",
            Instant.parse("2026-12-01T18:00:00Z"), Instant.parse("2026-12-02T02:00:00Z")),
        List.of(new CreateTicketsRequest.Order(UUID.randomUUID(), UUID.randomUUID(), "buyer@example.test",
            List.of(UUID.randomUUID(), UUID.randomUUID()))));

    String json = Json.write(request);

    assertThat(json).contains("\"validFrom\":\"2026-12-01T18:00:00Z\"");
    assertThat(Json.read(json, CreateTicketsRequest.class)).isEqualTo(request);
  }

  @Test
  @DisplayName("subscription statuses are written lower-case, as the subscription state machine compares them")
  void subscriptionCheckJson() throws JsonProcessingException {
    assertThat(Json.write(new SubscriptionCheck("abc", SubscriptionStatus.UNSUBSCRIBED, false)))
        .isEqualTo("{\"subscriberId\":\"abc\",\"status\":\"unsubscribed\",\"unchanged\":false}");
    assertThat(Json.read("{\"subscriberId\":\"abc\",\"status\":\"confirmed\",\"unchanged\":true}",
        SubscriptionCheck.class)).isEqualTo(new SubscriptionCheck("abc", SubscriptionStatus.CONFIRMED, true));
  }

  @Test
  @DisplayName("an activity event leaves out the optional fields it does not have")
  void activityEventJson() {
    ActivityEvent event = new ActivityEvent("page_view", Instant.parse("2026-11-26T01:00:00Z"), "/events", null, null,
        null);

    assertThat(Json.write(new ActivityBatch(List.of(event))))
        .isEqualTo("{\"events\":[{\"type\":\"page_view\",\"at\":\"2026-11-26T01:00:00Z\",\"path\":\"/events\"}]}");
  }

  @Test
  @DisplayName("a subscribe request with a field the API does not know is refused, not silently ignored")
  void unknownFieldRefused() {
    assertThatThrownBy(() -> Json.read("{\"email\":\"a@b.test\",\"preferences\":{},\"admin\":true}",
        SubscribeRequest.class)).isInstanceOf(JsonProcessingException.class);
  }
}
