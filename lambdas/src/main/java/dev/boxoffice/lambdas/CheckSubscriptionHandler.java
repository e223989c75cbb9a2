package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.boxoffice.codecs.EmailAddresses;
import dev.boxoffice.codecs.api.SubscriptionCheck;
import dev.boxoffice.codecs.api.SubscriptionCheckRequest;
import java.util.Map;

/**
 * check-subscription, not routed: invoked by the subscription state machine with {@code {"email": ...}}, answers
 * {@code {"status": "none"|"pending"|"confirmed", "subscriptionArn"?}} for the address's email subscription to the
 * announcement topic. Input that can never succeed fails with {@link InvalidInputException}.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_TOPIC_ARN}; optional {@code BOXOFFICE_SNS_ENDPOINT}.
 */
public final class CheckSubscriptionHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  public static final String TOPIC_ARN = "BOXOFFICE_TOPIC_ARN";

  private final SubscriptionLookup subscriptions;

  public CheckSubscriptionHandler() {
    this(System.getenv());
  }

  public CheckSubscriptionHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment));
  }

  CheckSubscriptionHandler(HandlerEnvironment environment) {
    this.subscriptions = new SubscriptionLookup(AwsClients.sns(environment), environment.required(TOPIC_ARN));
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    SubscriptionCheckRequest request = StateMachineInput.read(input, SubscriptionCheckRequest.class);
    String email;
    try {
      email = EmailAddresses.normalize(request.email());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("email: " + e.getMessage());
    }
    SubscriptionCheck status = subscriptions.statusOf(email);
    return StateMachineInput.asMap(status);
  }
}
