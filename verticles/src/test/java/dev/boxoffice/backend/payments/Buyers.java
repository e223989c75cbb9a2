package dev.boxoffice.backend.payments;

import static dev.boxoffice.backend.web.TestApi.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.backend.web.TestApi;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * What a buyer does through the API and on the provider's hosted checkout page (a plain HTTP form, as a browser
 * submits it), for the payment tests; and the few looks into the database they assert with.
 */
final class Buyers {

  static final String SUCCEEDS = "4242 4242 4242 4242";
  static final String DECLINED = "4000000000000002";
  static final String INSUFFICIENT_FUNDS = "4000000000009995";
  static final String THREE_D_SECURE = "4000002500003155";

  private static final HttpClient BROWSER = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
      .build();

  private final TestApi api;

  Buyers(TestApi api) {
    this.api = api;
  }

  /** A new hold of {@code quantity} tickets for {@code buyer}; returns it. */
  JsonObject hold(String ticketTypeId, String buyer, int quantity) {
    HttpResponse<Buffer> held = await(api.hold(ticketTypeId, api.buyerToken(buyer), TestApi.newKey(), quantity));
    assertThat(held.statusCode()).as(held.bodyAsString()).isEqualTo(201);
    return held.bodyAsJsonObject();
  }

  String checkoutUrl(String holdId, String buyer) {
    HttpResponse<Buffer> checkout = checkout(holdId, buyer);
    assertThat(checkout.statusCode()).as(checkout.bodyAsString()).isEqualTo(200);
    return checkout.bodyAsJsonObject().getString("checkoutUrl");
  }

  HttpResponse<Buffer> checkout(String holdId, String buyer) {
    return api.send(HttpMethod.POST, "/api/holds/" + holdId + "/checkout", api.buyerToken(buyer), null);
  }

  /** Submits a card on the hosted page: 303 to the success URL when paid, 402 with the reason when declined. */
  static java.net.http.HttpResponse<String> pay(String checkoutUrl, String card) {
    return post(checkoutUrl, "cardNumber=" + URLEncoder.encode(card, StandardCharsets.UTF_8)
        + "&expiry=12%20%2F%2034&cvc=123&name=Test%20Buyer");
  }

  /** Answers the 3-D Secure challenge the hosted page sent the browser to. */
  static java.net.http.HttpResponse<String> authenticate(String checkoutUrl, java.net.http.HttpResponse<String> sent,
                                                          boolean complete) {
    URI challenge = URI.create(checkoutUrl).resolve(sent.headers().firstValue("Location").orElseThrow());
    return post(challenge.toString(), "outcome=" + (complete ? "complete" : "fail"));
  }

  JsonObject holdOf(String holdId, String buyer) {
    HttpResponse<Buffer> hold = api.send(HttpMethod.GET, "/api/holds/" + holdId, api.buyerToken(buyer), null);
    assertThat(hold.statusCode()).as(hold.bodyAsString()).isEqualTo(200);
    return hold.bodyAsJsonObject();
  }

  /** The hold once {@code until} holds of it, within {@code timeout}. */
  JsonObject awaitHold(String holdId, String buyer, Predicate<JsonObject> until, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    JsonObject hold = holdOf(holdId, buyer);
    while (!until.test(hold) && Instant.now().isBefore(deadline)) {
      sleep(100);
      hold = holdOf(holdId, buyer);
    }
    assertThat(until).as("the hold reached the expected state within %s: %s", timeout, hold).accepts(hold);
    return hold;
  }

  /** Time passing for one hold: its expiry is behind it. */
  void expire(String holdId) {
    await(api.app().pool().preparedQuery("UPDATE holds SET expires_at = now() - interval '1 second' WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(holdId))));
  }

  /** Reconciliation's turn for one hold, as if its next check were due. */
  void reconcileNow(String holdId) {
    await(api.app().pool().preparedQuery("UPDATE holds SET payment_check_at = now() WHERE id = $1")
        .execute(Tuple.of(UUID.fromString(holdId))));
  }

  Row ticketType(String ticketTypeId) {
    return query("SELECT capacity, sold, held FROM ticket_types WHERE id = $1", UUID.fromString(ticketTypeId))
        .iterator().next();
  }

  long count(String sql, Object parameter) {
    return query(sql, parameter).iterator().next().getLong(0);
  }

  RowSet<Row> query(String sql, Object parameter) {
    return await(api.app().pool().preparedQuery(sql).execute(Tuple.of(parameter)));
  }

  private static java.net.http.HttpResponse<String> post(String url, String form) {
    try {
      return BROWSER.send(HttpRequest.newBuilder(URI.create(url))
              .header("Content-Type", "application/x-www-form-urlencoded")
              .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
