package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import dev.boxoffice.codecs.Json;
import dev.boxoffice.codecs.api.SubscribeAccepted;
import dev.boxoffice.codecs.api.SubscribeRequest;
import dev.boxoffice.codecs.api.SubscriptionPreferences;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * POST /subscribe: validates {@code {email, preferences: {categories, cities}}} and starts the subscription state
 * machine with {@code {email, preferences}} (normalised: address lower-case, preferences trimmed, lower-case,
 * de-duplicated), answering 202 {@code {executionArn}}.
 *
 * <p>Execution names are unique ({@code subscribe-<uuid>}), not derived from the address: a deterministic name would
 * refuse, for 90 days, a second subscription of the same address after an unsubscribe, and would put the address in
 * execution names. Duplicate requests are harmless: the state machine asks for confirmation only of preferences the
 * address does not have, and the same pending request mails its confirmation once.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_SUBSCRIPTION_STATE_MACHINE_ARN}; optional
 * {@code BOXOFFICE_SFN_ENDPOINT}, {@code BOXOFFICE_ALLOWED_ORIGIN}.
 */
public final class SubscribeHandler extends ApiFunction {

  public static final String STATE_MACHINE_ARN = "BOXOFFICE_SUBSCRIPTION_STATE_MACHINE_ARN";
  /** At most 10 categories × 10 cities: a confirmed subscriber has at most 100 interest items in the table. */
  public static final int MAX_PREFERENCES_PER_KIND = 10;

  private static final int MAX_BODY_BYTES = 4 * 1024;
  private static final Pattern PREFERENCE = Pattern.compile("[\\p{L}\\p{N}][\\p{L}\\p{N} '&.-]{0,47}");

  private final SfnClient sfn;
  private final String stateMachineArn;

  public SubscribeHandler() {
    this(System.getenv());
  }

  public SubscribeHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment));
  }

  SubscribeHandler(HandlerEnvironment environment) {
    super(environment);
    this.stateMachineArn = environment.required(STATE_MACHINE_ARN);
    this.sfn = AwsClients.sfn(environment);
  }

  @Override
  protected APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request) {
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
    String input = Json.write(new SubscribeRequest(email, new SubscriptionPreferences(categories, cities)));
    try {
      String executionArn = sfn.startExecution(start -> start
          .stateMachineArn(stateMachineArn)
          .name("subscribe-" + UUID.randomUUID())
          .input(input)).executionArn();
      return json(202, new SubscribeAccepted(executionArn));
    } catch (SdkException e) {
      System.err.println("StartExecution of " + stateMachineArn + " failed: " + e.getMessage());
      throw ApiException.upstream("The subscription could not be started; try again");
    }
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
