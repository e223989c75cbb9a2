package dev.boxoffice.backend.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpMethod;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ApiSmokeTest {

  private final TestApi api = TestApi.shared();

  @Test
  @DisplayName("a buyer buys two tickets of a published event and gets an order with two tickets")
  void buys() {
    String eventId = api.publishedEvent("Smoke");
    String ticketTypeId = api.ticketTypeOnSale(eventId, 10, 4);

    var response = TestApi.await(api.purchase(ticketTypeId, api.buyerToken("smoke@example.org"), TestApi.newKey(), 2));

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(201);
    assertThat(response.bodyAsJsonObject().getJsonArray("tickets")).hasSize(2);
    var event = api.send(HttpMethod.GET, "/api/events/" + eventId, null, null);
    assertThat(event.bodyAsJsonObject().getJsonArray("ticketTypes").getJsonObject(0).getInteger("remaining"))
        .isEqualTo(8);
  }
}
