package dev.boxoffice.local.stripe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.stripe.StripeClient;
import com.stripe.exception.AuthenticationException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.model.Event;
import com.stripe.model.PaymentIntent;
import com.stripe.model.Refund;
import com.stripe.model.checkout.Session;
import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import com.stripe.net.ApiResource;
import com.stripe.net.RequestOptions;
import com.stripe.net.Webhook;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionRetrieveParams;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The local Stripe server driven by the real stripe-java client, and its webhooks checked by stripe-java's own code. */
class LocalStripeTest {

  private static final Duration FIRST_RETRY = Duration.ofMillis(200);

  private static LocalStripe stripe;
  private static StripeClient client;
  private static WebhookReceiver receiver;
  private static LocalStripe.WebhookEndpoint endpoint;

  @BeforeAll
  static void start() throws Exception {
    stripe = LocalStripe.start(new LocalStripe.Settings(0, FIRST_RETRY, 4));
    client = StripeClient.builder().setApiKey(stripe.secretKey()).setApiBase(stripe.apiBase().toString()).build();
    receiver = new WebhookReceiver();
    endpoint = stripe.addWebhookEndpoint(receiver.url());
  }

  @AfterAll
  static void stop() throws Exception {
    receiver.close();
    stripe.close();
  }

  @Test
  @DisplayName("a session paid with 4242 on the hosted page redirects to success_url and is complete and paid")
  void paysWithSuccessCard() throws Exception {
    Session session = createSession(UUID.randomUUID().toString(), "eur", 2500, 2);
    assertThat(session.getStatus()).isEqualTo("open");
    assertThat(session.getAmountTotal()).isEqualTo(5000);
    assertThat(session.getPaymentIntent()).as("Checkout creates its PaymentIntent when the buyer pays").isNull();

    HttpResponse<String> page = HostedPage.open(session.getUrl());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("Pay EUR 50.00").contains("Standing &times; 2");
    HttpResponse<String> paid = HostedPage.pay(session.getUrl(), "4242 4242 4242 4242");

    assertThat(paid.statusCode()).isEqualTo(303);
    assertThat(paid.headers().firstValue("Location")).contains("https://shop.example/holds/x?session=" + session.getId());
    Session after = client.v1().checkout().sessions().retrieve(session.getId(),
        SessionRetrieveParams.builder().addExpand("payment_intent").build(), RequestOptions.getDefault());
    assertThat(after.getStatus()).isEqualTo("complete");
    assertThat(after.getPaymentStatus()).isEqualTo("paid");
    PaymentIntent intent = after.getPaymentIntentObject();
    assertThat(intent.getStatus()).isEqualTo("succeeded");
    assertThat(intent.getAmountReceived()).isEqualTo(5000);
    assertThat(intent.getMetadata()).containsEntry("hold_id", session.getClientReferenceId());
  }

  @Test
  @DisplayName("declined and insufficient-funds cards show Stripe's message and leave the session open for another")
  void declines() throws Exception {
    Session session = createSession(UUID.randomUUID().toString(), "eur", 1000, 1);

    HttpResponse<String> declined = HostedPage.pay(session.getUrl(), "4000000000000002");
    assertThat(declined.statusCode()).isEqualTo(402);
    assertThat(declined.body()).contains("role=\"alert\"").contains("Your card was declined.");
    PaymentIntent intent = client.v1().paymentIntents()
        .retrieve(client.v1().checkout().sessions().retrieve(session.getId()).getPaymentIntent());
    assertThat(intent.getStatus()).isEqualTo("requires_payment_method");
    assertThat(intent.getLastPaymentError().getDeclineCode()).isEqualTo("generic_decline");

    HttpResponse<String> broke = HostedPage.pay(session.getUrl(), "4000000000009995");
    assertThat(broke.body()).contains("Your card has insufficient funds.");
    assertThat(client.v1().paymentIntents().retrieve(intent.getId()).getLastPaymentError().getDeclineCode())
        .isEqualTo("insufficient_funds");
    assertThat(HostedPage.pay(session.getUrl(), "4242424242424243").body())
        .as("a number failing the Luhn check").contains("Your card number is incorrect.");

    assertThat(HostedPage.pay(session.getUrl(), "4242424242424242").statusCode()).isEqualTo(303);
    assertThat(client.v1().checkout().sessions().retrieve(session.getId()).getPaymentStatus()).isEqualTo("paid");
    List<String> types = events(intent.getId());
    assertThat(types).contains("payment_intent.payment_failed", "payment_intent.succeeded");
  }

  @Test
  @DisplayName("3-D Secure: 4000002500003155 goes through the challenge page; failing it declines, completing it pays")
  void threeDSecure() throws Exception {
    Session session = createSession(UUID.randomUUID().toString(), "usd", 4200, 1);

    HttpResponse<String> challenged = HostedPage.pay(session.getUrl(), "4000002500003155");
    assertThat(challenged.statusCode()).isEqualTo(303);
    String challenge = stripe.apiBase() + challenged.headers().firstValue("Location").orElseThrow();
    assertThat(HostedPage.open(challenge).body()).contains("Complete authentication").contains("Fail authentication");
    assertThat(HostedPage.authenticate(challenge, false).body()).contains("We are unable to authenticate");
    assertThat(client.v1().checkout().sessions().retrieve(session.getId()).getStatus()).isEqualTo("open");

    HostedPage.pay(session.getUrl(), "4000002500003155");
    HttpResponse<String> authenticated = HostedPage.authenticate(challenge, true);
    assertThat(authenticated.statusCode()).isEqualTo(303);
    assertThat(client.v1().checkout().sessions().retrieve(session.getId()).getPaymentStatus()).isEqualTo("paid");
  }

  @Test
  @DisplayName("an Idempotency-Key replays the first answer, and refuses other parameters as Stripe does")
  void idempotency() throws Exception {
    String holdId = UUID.randomUUID().toString();
    long expiresAt = Instant.now().plusSeconds(3600).getEpochSecond();
    RequestOptions key = RequestOptions.builder().setIdempotencyKey("checkout-" + holdId).build();
    Session first = client.v1().checkout().sessions().create(params(holdId, "eur", 1500, 1, expiresAt), key);
    Session again = client.v1().checkout().sessions().create(params(holdId, "eur", 1500, 1, expiresAt), key);

    assertThat(again.getId()).isEqualTo(first.getId());
    assertThat(again.getLastResponse().headers().firstValue("Idempotent-Replayed")).contains("true");
    assertThatThrownBy(() -> client.v1().checkout().sessions().create(params(holdId, "eur", 1600, 1, expiresAt),
        key)).isInstanceOf(IdempotencyException.class).hasMessageContaining("same parameters");
  }

  @Test
  @DisplayName("refunds: whole or partial, never more than was paid, each with its events")
  void refunds() throws Exception {
    Session session = createSession(UUID.randomUUID().toString(), "jpy", 5000, 2);
    HostedPage.pay(session.getUrl(), "4242424242424242");
    String intent = client.v1().checkout().sessions().retrieve(session.getId()).getPaymentIntent();

    Refund part = client.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(intent).setAmount(5000L)
        .putMetadata("refund_id", "r1").build(), RequestOptions.builder().setIdempotencyKey("refund-r1").build());
    Refund replay = client.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(intent)
        .setAmount(5000L).putMetadata("refund_id", "r1").build(),
        RequestOptions.builder().setIdempotencyKey("refund-r1").build());

    assertThat(part.getStatus()).isEqualTo("succeeded");
    assertThat(part.getCurrency()).isEqualTo("jpy");
    assertThat(replay.getId()).as("a retried refund is the same refund").isEqualTo(part.getId());
    assertThatThrownBy(() -> client.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(intent)
        .setAmount(5001L).build())).isInstanceOf(InvalidRequestException.class)
        .satisfies(failure -> assertThat(((InvalidRequestException) failure).getCode()).isEqualTo("amount_too_large"));
    Refund rest = client.v1().refunds().create(RefundCreateParams.builder().setPaymentIntent(intent).build());
    assertThat(rest.getAmount()).isEqualTo(5000);
    assertThat(receiver.await(delivery -> delivery.body().contains("\"refund.created\"")
        && delivery.body().contains(part.getId()), 1, Duration.ofSeconds(10))).hasSize(1);
  }

  @Test
  @DisplayName("expiring a session ends it and emits checkout.session.expired; expiring it again is refused")
  void expires() throws Exception {
    Session session = createSession(UUID.randomUUID().toString(), "eur", 900, 1);

    Session expired = client.v1().checkout().sessions().expire(session.getId());

    assertThat(expired.getStatus()).isEqualTo("expired");
    assertThat(expired.getUrl()).isNull();
    assertThat(HostedPage.open(session.getUrl()).body()).contains("This checkout has expired");
    assertThatThrownBy(() -> client.v1().checkout().sessions().expire(session.getId()))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("can be expired");
    assertThat(events(session.getId())).contains("checkout.session.expired");
  }

  @Test
  @DisplayName("webhooks are signed (stripe-java's own check accepts them) and retried with growing delays")
  void webhooksSignedAndRetried() throws Exception {
    Session session = createSession(UUID.randomUUID().toString(), "eur", 700, 1);
    receiver.failNext(2, "\"checkout.session.completed\"");
    HostedPage.pay(session.getUrl(), "4242424242424242");

    List<WebhookReceiver.Delivery> attempts = receiver.await(delivery -> delivery.body()
        .contains("\"checkout.session.completed\"") && delivery.body().contains(session.getId()), 3,
        Duration.ofSeconds(20));

    assertThat(attempts).extracting(WebhookReceiver.Delivery::status).containsExactly(500, 500, 200);
    Duration firstGap = Duration.between(attempts.get(0).at(), attempts.get(1).at());
    Duration secondGap = Duration.between(attempts.get(1).at(), attempts.get(2).at());
    // Each gap is the scheduled delay plus the time a delivery took, which a busy machine stretches: the delays
    // are checked as lower bounds, the first retry's and twice it.
    assertThat(firstGap).as("first retry after").isGreaterThanOrEqualTo(FIRST_RETRY);
    assertThat(secondGap).as("exponential back-off").isGreaterThanOrEqualTo(FIRST_RETRY.multipliedBy(2));
    for (WebhookReceiver.Delivery delivery : attempts) {
      Event event = Webhook.constructEvent(delivery.body(), delivery.signature(), endpoint.secret());
      assertThat(event.getType()).isEqualTo("checkout.session.completed");
    }
    assertThatThrownBy(() -> Webhook.constructEvent(attempts.get(2).body(), attempts.get(2).signature(),
        "whsec_wrong")).isInstanceOf(com.stripe.exception.SignatureVerificationException.class);
  }

  @Test
  @DisplayName("a wrong key, an unknown session and a bad expiry answer Stripe's errors")
  void errors() throws Exception {
    StripeClient stranger = StripeClient.builder().setApiKey("sk_test_wrong_key_1234")
        .setApiBase(stripe.apiBase().toString()).build();
    assertThatThrownBy(() -> stranger.v1().checkout().sessions().retrieve("cs_test_x"))
        .isInstanceOf(AuthenticationException.class).hasMessageContaining("Invalid API Key");
    assertThatThrownBy(() -> client.v1().checkout().sessions().retrieve("cs_test_missing"))
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(failure -> assertThat(((InvalidRequestException) failure).getCode()).isEqualTo("resource_missing"));
    assertThatThrownBy(() -> client.v1().checkout().sessions().create(params(UUID.randomUUID().toString(), "eur",
        1000, 1, Instant.now().plusSeconds(600).getEpochSecond())))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("30 minutes");
  }

  private static Session createSession(String key, String currency, long unitAmount, long quantity)
      throws Exception {
    return client.v1().checkout().sessions().create(params(UUID.randomUUID().toString(), currency, unitAmount,
        quantity), RequestOptions.builder().setIdempotencyKey(key).build());
  }

  private static SessionCreateParams params(String holdId, String currency, long unitAmount, long quantity) {
    return params(holdId, currency, unitAmount, quantity, Instant.now().plusSeconds(3600).getEpochSecond());
  }

  private static SessionCreateParams params(String holdId, String currency, long unitAmount, long quantity,
                                            long expiresAt) {
    return SessionCreateParams.builder()
        .setExpiresAt(expiresAt)
        .setMode(SessionCreateParams.Mode.PAYMENT)
        .setClientReferenceId(holdId)
        .setCustomerEmail("buyer@example.org")
        .setSuccessUrl("https://shop.example/holds/x?session={CHECKOUT_SESSION_ID}")
        .setCancelUrl("https://shop.example/holds/x")
        .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder().putMetadata("hold_id", holdId).build())
        .addLineItem(SessionCreateParams.LineItem.builder().setQuantity(quantity)
            .setPriceData(SessionCreateParams.LineItem.PriceData.builder().setCurrency(currency)
                .setUnitAmount(unitAmount)
                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder().setName("Standing")
                    .build())
                .build())
            .build())
        .build();
  }

  /** The types of the events about any of {@code objectIds}, from {@code GET /v1/events} as sent. */
  private static List<String> events(String... objectIds) throws Exception {
    String page = client.rawRequest(ApiResource.RequestMethod.GET, "/v1/events?limit=100", null, null).body();
    JsonArray events = JsonParser.parseString(page).getAsJsonObject().getAsJsonArray("data");
    List<String> types = new ArrayList<>();
    events.forEach(event -> {
      String json = event.toString();
      if (List.of(objectIds).stream().anyMatch(json::contains)) {
        types.add(event.getAsJsonObject().get("type").getAsString());
      }
    });
    return types;
  }
}
