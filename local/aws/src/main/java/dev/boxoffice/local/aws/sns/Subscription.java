package dev.boxoffice.local.aws.sns;

import io.vertx.core.json.JsonObject;

/**
 * A subscription of an endpoint to a topic. Email and http(s) subscriptions stay pending until the token sent to
 * the endpoint is confirmed; only confirmed ones receive messages.
 */
record Subscription(
    String arn,
    String topicArn,
    String protocol,
    String endpoint,
    String token,
    boolean confirmed,
    String filterPolicy,
    String filterPolicyScope,
    boolean rawMessageDelivery) {

  static final String PENDING_CONFIRMATION = "PendingConfirmation";

  /** The ARN as the list actions show it: "PendingConfirmation" until confirmed, as AWS does. */
  String listedArn() {
    return confirmed ? arn : PENDING_CONFIRMATION;
  }

  Subscription confirm() {
    return new Subscription(arn, topicArn, protocol, endpoint, token, true, filterPolicy, filterPolicyScope,
        rawMessageDelivery);
  }

  Subscription withFilterPolicy(String policy, String scope) {
    return new Subscription(arn, topicArn, protocol, endpoint, token, confirmed, policy, scope, rawMessageDelivery);
  }

  Subscription withRawMessageDelivery(boolean raw) {
    return new Subscription(arn, topicArn, protocol, endpoint, token, confirmed, filterPolicy, filterPolicyScope, raw);
  }

  /** The filter in force; a subscription without a policy receives every message. */
  FilterPolicy filter() {
    return filterPolicy == null ? null : FilterPolicy.parse(filterPolicy, filterPolicyScope);
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("arn", arn)
        .put("topicArn", topicArn)
        .put("protocol", protocol)
        .put("endpoint", endpoint)
        .put("token", token)
        .put("confirmed", confirmed)
        .put("filterPolicy", filterPolicy)
        .put("filterPolicyScope", filterPolicyScope)
        .put("rawMessageDelivery", rawMessageDelivery);
  }

  static Subscription fromJson(JsonObject json) {
    return new Subscription(
        json.getString("arn"),
        json.getString("topicArn"),
        json.getString("protocol"),
        json.getString("endpoint"),
        json.getString("token"),
        json.getBoolean("confirmed", false),
        json.getString("filterPolicy"),
        json.getString("filterPolicyScope", FilterPolicy.SCOPE_ATTRIBUTES),
        json.getBoolean("rawMessageDelivery", false));
  }
}
