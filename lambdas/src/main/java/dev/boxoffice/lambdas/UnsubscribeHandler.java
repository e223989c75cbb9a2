package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.api.SubscriptionConfirmed;
import dev.boxoffice.codecs.api.SubscriptionStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * POST /unsubscribe?token=...: one-click unsubscribe (RFC 8058). Mail providers POST {@code List-Unsubscribe=One-Click}
 * to the URL of an announcement's {@code List-Unsubscribe} header, and the site's unsubscribe page POSTs to the same
 * URL; the body is not read, no session or cookie is needed, the signed token is the authority. A valid token ends the
 * subscription (again and again harmlessly) and answers 200 {@code {status: unsubscribed}}; another one answers 400
 * {@code invalid_link}. A GET changes nothing: link scanners fetch links.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_SUBSCRIBERS_TABLE}; {@code BOXOFFICE_KEYS_SECRET_ID} (the
 * secret holding the link key, read at run time: {@link KeysSecret}); optional {@code BOXOFFICE_SECRETS_TTL_SECONDS},
 * {@code BOXOFFICE_DYNAMODB_ENDPOINT}, {@code BOXOFFICE_SECRETSMANAGER_ENDPOINT}, {@code BOXOFFICE_ALLOWED_ORIGIN}.
 */
public final class UnsubscribeHandler extends ApiFunction {

  private final Subscribers subscribers;
  private final SubscriptionLinks links;
  private final Clock clock;

  public UnsubscribeHandler() {
    this(System.getenv());
  }

  public UnsubscribeHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment), Clock.systemUTC());
  }

  UnsubscribeHandler(HandlerEnvironment environment, Clock clock) {
    super(environment);
    this.subscribers = new Subscribers(AwsClients.dynamoDb(environment), environment.required(Subscribers.TABLE));
    this.links = new SubscriptionLinks(new KeysSecret(environment, clock));
    this.clock = clock;
  }

  @Override
  protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request) {
    Instant now = clock.instant();
    SubscriptionLinks.Link link = Requests.queryParameter(request, "token")
        .flatMap(token -> links.verify(token, SubscriptionLinks.Purpose.UNSUBSCRIBE, now))
        .orElseThrow(() -> ApiException.badRequest("invalid_link",
            "This unsubscribe link is not valid; use the link of a recent announcement", "token"));
    try {
      subscribers.unsubscribe(link.subscriberId(), now);
    } catch (SdkException e) {
      Log.error("could not reach DynamoDB", e);
      throw ApiException.upstream("The subscription could not be ended; try again");
    }
    return json(200, new SubscriptionConfirmed(SubscriptionStatus.UNSUBSCRIBED, List.of(), List.of()));
  }
}
