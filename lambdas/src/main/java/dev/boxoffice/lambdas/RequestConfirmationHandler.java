package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.boxoffice.codecs.EmailAddresses;
import dev.boxoffice.codecs.Json;
import dev.boxoffice.codecs.api.SubscribeRequest;
import dev.boxoffice.codecs.notifications.Notifications;
import dev.boxoffice.codecs.notifications.SubscriptionConfirmation;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * request-confirmation, not routed: invoked by the subscription state machine with {@code {email, preferences}}
 * (normalised by /subscribe) for an address whose preferences need confirming. Records them as pending in the
 * subscribers table and answers {@code {notification}}, the subscription-confirmation notification with its signed,
 * expiring link, which the state machine publishes to the notification topic. Asked again for the same preferences
 * while the link is valid, it answers the same notification (same id), so the mailer sends it once.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_SUBSCRIBERS_TABLE}; {@code BOXOFFICE_KEYS_SECRET_ID} (the
 * secret holding the link key, read at run time: {@link KeysSecret}); {@code BOXOFFICE_SITE_URL}; optional
 * {@code BOXOFFICE_SECRETS_TTL_SECONDS}, {@code BOXOFFICE_DYNAMODB_ENDPOINT},
 * {@code BOXOFFICE_SECRETSMANAGER_ENDPOINT}.
 */
public final class RequestConfirmationHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
  };

  private final Subscribers subscribers;
  private final SubscriptionLinks links;
  private final SiteLinks site;
  private final Clock clock;

  public RequestConfirmationHandler() {
    this(System.getenv());
  }

  public RequestConfirmationHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment), Clock.systemUTC());
  }

  RequestConfirmationHandler(HandlerEnvironment environment, Clock clock) {
    this.subscribers = new Subscribers(AwsClients.dynamoDb(environment), environment.required(Subscribers.TABLE));
    this.links = new SubscriptionLinks(new KeysSecret(environment, clock));
    this.site = new SiteLinks(environment);
    this.clock = clock;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    Log.invocation(context);
    SubscribeRequest request = StateMachineInput.read(input, SubscribeRequest.class);
    if (request.preferences() == null || request.preferences().categories() == null
        || request.preferences().cities() == null) {
      throw new InvalidInputException("preferences with categories and cities are required");
    }
    String email;
    try {
      email = EmailAddresses.normalize(request.email());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("email: " + e.getMessage());
    }
    String subscriberId = links.subscriberId(email);
    Instant now = clock.instant();
    Subscribers.PendingPreferences pending = subscribers.requestConfirmation(subscriberId, email,
        request.preferences().categories(), request.preferences().cities(), now,
        now.plus(SubscriptionLinks.CONFIRMATION_LIFETIME));
    String token = links.token(SubscriptionLinks.Purpose.CONFIRM, subscriberId, pending.nonce(), pending.expiresAt());
    SubscriptionConfirmation notification = new SubscriptionConfirmation(
        "subscription-confirmation:" + subscriberId + ":" + pending.nonce(), email, null,
        site.confirmSubscription(token), pending.categories(), pending.cities(), pending.expiresAt());
    try {
      return Map.of("notification", Json.mapper().readValue(Notifications.toJson(notification), OBJECT));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a notification always reads back", e);
    }
  }
}
