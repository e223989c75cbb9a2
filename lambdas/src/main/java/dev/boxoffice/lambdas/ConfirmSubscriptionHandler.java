package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.api.SubscriptionConfirmed;
import dev.boxoffice.codecs.api.SubscriptionLink;
import dev.boxoffice.codecs.api.SubscriptionStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * POST /confirm-subscription {@code {token}}: the site's confirmation page sends the token of the link in the
 * confirmation email (a page with a button rather than the link itself, since mail scanners follow links). A valid,
 * unexpired token of the latest request makes its preferences the confirmed ones and answers 200
 * {@code {status, categories, cities}}; the same link again answers the same; a forged, expired or replaced link
 * answers 400 {@code invalid_link}.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_SUBSCRIBERS_TABLE}; {@code BOXOFFICE_KEYS_SECRET_ID} (the
 * secret holding the link key, read at run time: {@link KeysSecret}); optional {@code BOXOFFICE_SECRETS_TTL_SECONDS},
 * {@code BOXOFFICE_DYNAMODB_ENDPOINT}, {@code BOXOFFICE_SECRETSMANAGER_ENDPOINT}, {@code BOXOFFICE_ALLOWED_ORIGIN}.
 */
public final class ConfirmSubscriptionHandler extends ApiFunction {

  private static final int MAX_BODY_BYTES = 2 * 1024;

  private final Subscribers subscribers;
  private final SubscriptionLinks links;
  private final Clock clock;

  public ConfirmSubscriptionHandler() {
    this(System.getenv());
  }

  public ConfirmSubscriptionHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment), Clock.systemUTC());
  }

  ConfirmSubscriptionHandler(HandlerEnvironment environment, Clock clock) {
    super(environment);
    this.subscribers = new Subscribers(AwsClients.dynamoDb(environment), environment.required(Subscribers.TABLE));
    this.links = new SubscriptionLinks(new KeysSecret(environment, clock));
    this.clock = clock;
  }

  @Override
  protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request) {
    String token = Requests.jsonBody(request, SubscriptionLink.class, MAX_BODY_BYTES).token();
    Instant now = clock.instant();
    SubscriptionLinks.Link link = links.verify(token, SubscriptionLinks.Purpose.CONFIRM, now)
        .orElseThrow(ConfirmSubscriptionHandler::invalidLink);
    try {
      Subscribers.Profile confirmed = subscribers.confirm(link.subscriberId(), link.nonce(), now)
          .orElseThrow(ConfirmSubscriptionHandler::invalidLink);
      return json(200, new SubscriptionConfirmed(SubscriptionStatus.CONFIRMED, confirmed.categories(),
          confirmed.cities()));
    } catch (SdkException e) {
      Log.error("could not reach DynamoDB", e);
      throw ApiException.upstream("The subscription could not be confirmed; try again");
    }
  }

  private static ApiException invalidLink() {
    return ApiException.badRequest("invalid_link",
        "This confirmation link is not valid any more: it expired or a newer one replaced it. Subscribe again.",
        "token");
  }
}
