package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.ErrorBody;
import dev.boxoffice.codecs.Json;
import dev.boxoffice.codecs.api.SubscribeAccepted;
import dev.boxoffice.codecs.api.SubscribeRequest;
import dev.boxoffice.codecs.api.SubscriptionConfirmed;
import dev.boxoffice.codecs.api.SubscriptionPreferences;
import dev.boxoffice.codecs.api.SubscriptionStatus;
import dev.boxoffice.codecs.session.SessionClaims;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * POST /subscribe: validates {@code {email, preferences: {categories, cities}}} (normalised: address lower-case,
 * preferences trimmed, lower-case, de-duplicated). The signed-in owner of the address ({@code Authorization: Bearer}
 * a session whose subject is the address) changes their preferences at once: 200 {@code {status, categories,
 * cities}}. Anyone else starts the subscription state machine with {@code {email, preferences}}, which mails the
 * address a signed link that alone confirms them, answering 202 {@code {executionArn}}: confirmed preferences change
 * only through that link or their owner.
 *
 * <p>Anonymous requests are limited per client network and per address, the network's budget spent first
 * ({@link #REQUESTS_PER_NETWORK}, {@link #CONFIRMATIONS_PER_ADDRESS}: one confirmation email per address, then a
 * cooldown that doubles with every further one), answered 429 with {@code Retry-After}; so however often the route is
 * called, an address receives a handful of confirmations a day at most.
 *
 * <p>Execution names are unique ({@code subscribe-<uuid>}), not derived from the address: a deterministic name would
 * refuse, for 90 days, a second subscription of the same address after an unsubscribe, and would put the address in
 * execution names.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_SUBSCRIPTION_STATE_MACHINE_ARN};
 * {@code BOXOFFICE_SUBSCRIBERS_TABLE}; {@code BOXOFFICE_RATE_LIMIT_TABLE}; {@code BOXOFFICE_KEYS_SECRET_ID} (the secret holding the link key, read at run
 * time: {@link KeysSecret}); {@code BOXOFFICE_SESSION_PUBLIC_KEY}; {@code BOXOFFICE_REVOKED_SESSIONS_TABLE}; optional
 * {@code BOXOFFICE_SESSION_ISSUER},
 * {@code BOXOFFICE_SESSION_AUDIENCE}, {@code BOXOFFICE_SECRETS_TTL_SECONDS}, {@code BOXOFFICE_SFN_ENDPOINT},
 * {@code BOXOFFICE_DYNAMODB_ENDPOINT}, {@code BOXOFFICE_SECRETSMANAGER_ENDPOINT}, {@code BOXOFFICE_ALLOWED_ORIGIN}.
 */
public final class SubscribeHandler extends ApiFunction {

  public static final String STATE_MACHINE_ARN = "BOXOFFICE_SUBSCRIPTION_STATE_MACHINE_ARN";
  /** At most 10 categories × 10 cities: a confirmed subscriber has at most 100 interest items in the table. */
  public static final int MAX_PREFERENCES_PER_KIND = 10;

  static final RateLimits.Budget REQUESTS_PER_NETWORK = new RateLimits.Budget("subscribe-net", 20,
      Duration.ofDays(1), Duration.ofMinutes(1), Duration.ofHours(1));
  static final RateLimits.Budget CONFIRMATIONS_PER_ADDRESS = new RateLimits.Budget("subscribe-addr", 1,
      Duration.ofDays(1), Duration.ofMinutes(15), Duration.ofHours(8));

  private static final int MAX_BODY_BYTES = 4 * 1024;
  private static final Pattern PREFERENCE = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} '&.-]{0,47}");

  private final SfnClient sfn;
  private final String stateMachineArn;
  private final Subscribers subscribers;
  private final RateLimits limits;
  private final SubscriptionLinks links;
  private final SessionVerifier sessions;
  private final Clock clock;

  public SubscribeHandler() {
    this(System.getenv());
  }

  public SubscribeHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment), Clock.systemUTC());
  }

  SubscribeHandler(HandlerEnvironment environment, Clock clock) {
    super(environment);
    this.stateMachineArn = environment.required(STATE_MACHINE_ARN);
    this.sfn = AwsClients.sfn(environment);
    DynamoDbClient dynamoDb = AwsClients.dynamoDb(environment);
    this.subscribers = new Subscribers(dynamoDb, environment.required(Subscribers.TABLE));
    this.limits = new RateLimits(dynamoDb, environment.required(RateLimits.TABLE));
    this.links = new SubscriptionLinks(new KeysSecret(environment, clock));
    this.sessions = new SessionVerifier(environment, clock);
    this.clock = clock;
  }

  @Override
  protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request) {
    Optional<SessionClaims> session = sessions.optionalSession(request);
    SubscribeRequest body = Requests.jsonBody(request, SubscribeRequest.class, MAX_BODY_BYTES);
    String email = Emails.field(body.email(), "email");
    if (body.preferences() == null) {
      throw ApiException.invalidField("preferences", "'preferences' with categories and cities is required");
    }
    List<String> categories = preferences(body.preferences().categories(), "preferences.categories");
    List<String> cities = preferences(body.preferences().cities(), "preferences.cities");
    if (categories.isEmpty() && cities.isEmpty()) {
      throw ApiException.invalidField("preferences", "Choose at least one category or city");
    }
    Instant now = clock.instant();
    try {
      if (session.isPresent() && session.get().subject().equals(email)) {
        Subscribers.Profile saved = subscribers.setByOwner(links.subscriberId(email), email, categories, cities, now);
        return json(200, new SubscriptionConfirmed(SubscriptionStatus.CONFIRMED, saved.categories(), saved.cities()));
      }
      spend(REQUESTS_PER_NETWORK, links.hash("network", ClientNetworks.of(request)), now,
          "Too many subscription requests from your network; try again in %d seconds");
      spend(CONFIRMATIONS_PER_ADDRESS, links.subscriberId(email), now,
          "A confirmation link was mailed to this address lately; follow it, or try again in %d seconds");
      return json(202, new SubscribeAccepted(start(new SubscribeRequest(email,
          new SubscriptionPreferences(categories, cities)))));
    } catch (SdkException e) {
      Log.error("could not reach DynamoDB or Step Functions", e);
      throw ApiException.upstream("The subscription could not be started; try again");
    }
  }

  private void spend(RateLimits.Budget budget, String caller, Instant now, String message) {
    limits.spend(budget, caller, now).ifPresent(wait -> {
      long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
      throw new ApiException(429, ErrorBody.of("too_many_requests", message.formatted(seconds)),
          Map.of("Retry-After", Long.toString(seconds)));
    });
  }

  private String start(SubscribeRequest input) {
    return sfn.startExecution(start -> start
        .stateMachineArn(stateMachineArn)
        .name("subscribe-" + UUID.randomUUID())
        .input(Json.write(input))).executionArn();
  }

  private static List<String> preferences(List<String> values, String field) {
    if (values == null) {
      return List.of();
    }
    if (values.size() > MAX_PREFERENCES_PER_KIND) {
      throw ApiException.invalidField(field,
          "'" + field + "' may hold at most " + MAX_PREFERENCES_PER_KIND + " entries");
    }
    Set<String> normalized = new LinkedHashSet<>();
    for (String value : values) {
      String trimmed = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
      if (!PREFERENCE.matcher(trimmed).matches()) {
        throw ApiException.invalidField(field,
            "Each entry of '" + field + "' must be 1 to 48 letters, digits, spaces or ' & . -");
      }
      normalized.add(trimmed);
    }
    return new ArrayList<>(normalized);
  }
}
