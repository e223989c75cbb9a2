package dev.boxoffice.local.aws.sqs;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;

/**
 * What an SQS call asks the local IAM: the action ({@code sqs:<Action>}, a batch named as its single action, as SQS's
 * "actions, resources and condition keys" table lists them) on the queue it concerns, read from either wire protocol:
 * JSON ({@code X-Amz-Target: AmazonSQS.<Action>}, the queue in the body) or query (form or query string, the queue in
 * {@code QueueUrl} or in the request's path).
 */
record SqsAccess(String action, String resourceArn) {

  private static final String TARGET_PREFIX = "AmazonSQS.";
  private static final Map<String, String> BATCH_ACTIONS = Map.of(
      "SendMessageBatch", "SendMessage",
      "DeleteMessageBatch", "DeleteMessage",
      "ChangeMessageVisibilityBatch", "ChangeMessageVisibility");

  /** The check of a request; empty when it names no action, which the queue server answers as SQS does. */
  static Optional<SqsAccess> of(String target, String path, MultiMap form, byte[] body, String region,
                                String account) {
    String action;
    String queueUrl;
    String queueName;
    if (target != null && target.startsWith(TARGET_PREFIX)) {
      action = target.substring(TARGET_PREFIX.length());
      JsonObject request = json(body);
      queueUrl = request.getValue("QueueUrl") instanceof String url ? url : null;
      queueName = request.getValue("QueueName") instanceof String name ? name : null;
    } else {
      action = form.get("Action");
      queueUrl = form.get("QueueUrl");
      queueName = form.get("QueueName");
      if (queueUrl == null && path.matches("/\\d{12}/[^/]+/?")) {
        queueUrl = path;
      }
    }
    if (action == null || action.isEmpty()) {
      return Optional.empty();
    }
    String queues = "arn:aws:sqs:" + region + ":" + account + ":";
    String resource;
    if (queueUrl != null && !queueUrl.isEmpty()) {
      String trimmed = queueUrl.endsWith("/") ? queueUrl.substring(0, queueUrl.length() - 1) : queueUrl;
      resource = queues + trimmed.substring(trimmed.lastIndexOf('/') + 1);
    } else if (queueName != null && !queueName.isEmpty()) {
      resource = queues + queueName;
    } else {
      resource = "*";
    }
    return Optional.of(new SqsAccess("sqs:" + BATCH_ACTIONS.getOrDefault(action, action), resource));
  }

  private static JsonObject json(byte[] body) {
    try {
      Object parsed = Json.decodeValue(Buffer.buffer(body));
      return parsed instanceof JsonObject object ? object : new JsonObject();
    } catch (DecodeException notJson) {
      return new JsonObject();
    }
  }
}
