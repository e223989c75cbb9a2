package dev.boxoffice.lambdas;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.codecs.EmailAddresses;
import dev.boxoffice.codecs.Json;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * mail-events, subscribed to the topic where the SES configuration set publishes the events of the mails the mailer
 * sends: a permanent bounce or a complaint puts each address it names on the suppression list, which the mailer
 * honours from its next mail on. Transient bounces (a full mailbox, a greylisting server) suppress nothing. Takes the
 * SNS event as a map (its SES event in each record's {@code Sns.Message}); an event that is no SES event is logged and
 * skipped, since retrying it cannot help.
 *
 * <p>Environment: {@code AWS_REGION}; {@code BOXOFFICE_SUPPRESSION_TABLE}; optional
 * {@code BOXOFFICE_DYNAMODB_ENDPOINT}.
 */
public final class MailEventsHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  private final SuppressionList suppressed;
  private final Clock clock;

  public MailEventsHandler() {
    this(System.getenv());
  }

  public MailEventsHandler(Map<String, String> environment) {
    this(new HandlerEnvironment(environment), Clock.systemUTC());
  }

  MailEventsHandler(HandlerEnvironment environment, Clock clock) {
    this.suppressed = new SuppressionList(AwsClients.dynamoDb(environment),
        environment.required(SuppressionList.TABLE));
    this.clock = clock;
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
    Log.invocation(context);
    int suppressedAddresses = 0;
    for (JsonNode record : Json.mapper().valueToTree(input == null ? Map.of() : input).path("Records")) {
      String message = record.path("Sns").path("Message").asText("");
      try {
        suppressedAddresses += handle(Json.mapper().readTree(message));
      } catch (JsonProcessingException e) {
        Log.warn("skipped a message that is no SES event", e);
      }
    }
    return Map.of("suppressed", suppressedAddresses);
  }

  private int handle(JsonNode event) {
    String type = event.path("eventType").asText(event.path("notificationType").asText(""));
    return switch (type) {
      case "Bounce" -> "Permanent".equals(event.path("bounce").path("bounceType").asText())
          ? suppressAll(event.path("bounce").path("bouncedRecipients"), "bounce",
              event.path("bounce").path("bounceSubType").asText("General"),
              event.path("bounce").path("feedbackId").asText(""))
          : 0;
      case "Complaint" -> suppressAll(event.path("complaint").path("complainedRecipients"), "complaint",
          event.path("complaint").path("complaintFeedbackType").asText("unknown"),
          event.path("complaint").path("feedbackId").asText(""));
      default -> 0;
    };
  }

  private int suppressAll(JsonNode recipients, String reason, String detail, String feedbackId) {
    List<String> addresses = new ArrayList<>();
    for (JsonNode recipient : recipients) {
      try {
        addresses.add(EmailAddresses.normalize(recipient.path("emailAddress").asText()));
      } catch (IllegalArgumentException notAnAddress) {
        Log.warn("skipped a recipient that is no address", null);
      }
    }
    addresses.forEach(address -> suppressed.suppress(address, reason, detail, feedbackId, clock.instant()));
    return addresses.size();
  }
}
