package dev.boxoffice.local.aws.iam;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/**
 * The resource policies the services' own tests declare in code, as the templates declare them: a queue that lets a
 * topic send to it, a topic that lets SES publish its events.
 */
public final class ServicePolicies {

  private ServicePolicies() {
  }

  /** The policy of {@code queueArn} letting SNS send to it for {@code topicArn} only (as MailQueuesPolicy does). */
  public static JsonNode topicMaySendTo(String queueArn, String topicArn) {
    return document(new JsonObject().put("Effect", "Allow")
        .put("Principal", new JsonObject().put("Service", "sns.amazonaws.com"))
        .put("Action", "sqs:SendMessage").put("Resource", queueArn)
        .put("Condition", new JsonObject().put("ArnEquals", new JsonObject().put("aws:SourceArn", topicArn))));
  }

  /** The policy of {@code topicArn} letting SES of the account publish to it (as MailEventsTopicPolicy does). */
  public static JsonNode sesMayPublishTo(String topicArn, String account) {
    return document(new JsonObject().put("Effect", "Allow")
        .put("Principal", new JsonObject().put("Service", "ses.amazonaws.com"))
        .put("Action", "sns:Publish").put("Resource", topicArn)
        .put("Condition", new JsonObject().put("StringEquals", new JsonObject().put("AWS:SourceAccount", account))));
  }

  /** An identity policy of one statement allowing {@code actions} on {@code resources}. */
  public static JsonNode allow(JsonArray actions, JsonArray resources) {
    return document(new JsonObject().put("Effect", "Allow").put("Action", actions).put("Resource", resources));
  }

  private static JsonNode document(JsonObject statement) {
    try {
      return new ObjectMapper().readTree(new JsonObject()
          .put("Version", "2012-10-17").put("Statement", new JsonArray().add(statement)).encode());
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
