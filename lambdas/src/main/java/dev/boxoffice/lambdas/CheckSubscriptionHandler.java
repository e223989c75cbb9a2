package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.boxoffice.codecs.EmailAddresses;
import dev.boxoffice.codecs.api.SubscribeRequest;
import dev.boxoffice.codecs.api.SubscriptionCheck;
import dev.boxoffice.codecs.api.SubscriptionStatus;
import java.time.Clock;
import java.util.Map;

/**
 * check-subscription, not routed: invoked by the subscription state machine with the /subscribe input
 * {@code {email, preferences}}, answers where the address stands in the subscribers table,
 * {@code {subscriberId, status: none|pending|confirmed|unsubscribed, unchanged}}, {@code unchanged} being true for a
 * confirmed subscriber who asked for the preferences they have (nothing to confirm then). Input that can never
 * succeed fails with {@link InvalidInputException}.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_SUBSCRIBERS_TABLE}; {@code BOXOFFICE_KEYS_SECRET_ID} (the
 * secret holding the link key, at least 32 bytes, read at run time: {@link KeysSecret}); optional
 * {@code BOXOFFICE_SECRETS_TTL_SECONDS}, {@code BOXOFFICE_DYNAMODB_ENDPOINT},
 * {@code BOXOFFICE_SECRETSMANAGER_ENDPOINT}.
 */
public final class CheckSubscriptionHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  private final Subscribers subscribers;
  private final SubscriptionLinks links;

  public CheckSubscriptionHandler() {
    this(System.getenv());
  }

  public CheckSubscriptionHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment));
  }

  CheckSubscriptionHandler(HandlerEnvironment environment) {
    this.subscribers = new Subscribers(AwsClients.dynamoDb(environment), environment.required(Subscribers.TABLE));
    this.links = new SubscriptionLinks(new KeysSecret(environment, Clock.systemUTC()));
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    Log.invocation(context);
    SubscribeRequest request = StateMachineInput.read(input, SubscribeRequest.class);
    String email;
    try {
      email = EmailAddresses.normalize(request.email());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("email: " + e.getMessage());
    }
    if (request.preferences() == null) {
      throw new InvalidInputException("preferences are required");
    }
    String subscriberId = links.subscriberId(email);
    SubscriptionCheck check = subscribers.profile(subscriberId)
        .map(profile -> new SubscriptionCheck(subscriberId, statusOf(profile.status()),
            profile.status() == Subscribers.Status.CONFIRMED
                && profile.categories().equals(request.preferences().categories())
                && profile.cities().equals(request.preferences().cities())))
        .orElse(new SubscriptionCheck(subscriberId, SubscriptionStatus.NONE, false));
    return StateMachineInput.asMap(check);
  }

  private static SubscriptionStatus statusOf(Subscribers.Status status) {
    return switch (status) {
      case NONE -> SubscriptionStatus.NONE;
      case PENDING -> SubscriptionStatus.PENDING;
      case CONFIRMED -> SubscriptionStatus.CONFIRMED;
      case UNSUBSCRIBED -> SubscriptionStatus.UNSUBSCRIBED;
    };
  }
}
