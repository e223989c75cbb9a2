package dev.boxoffice.local.aws.sns;

import dev.boxoffice.local.aws.iam.AuthenticationFailure;
import dev.boxoffice.local.aws.iam.Decision;
import dev.boxoffice.local.aws.iam.LocalIam;
import dev.boxoffice.local.aws.iam.Principal;
import dev.boxoffice.local.aws.iam.SignatureV4;
import io.vertx.core.http.HttpServerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Who may call which SNS action: the request's signature names the caller, and the local IAM decides whether it may
 * perform {@code SNS:<Action>} on the topic the action concerns (a subscription's actions concern its topic).
 * ConfirmSubscription and Unsubscribe may come unsigned, as they do when a recipient follows the links of an email.
 * PublishBatch is authorized as {@code SNS:Publish}, the action AWS's IAM knows it by.
 */
final class SnsAccess {

  private static final Set<String> ANONYMOUS_ACTIONS = Set.of("ConfirmSubscription", "Unsubscribe");
  private static final Set<String> ACCOUNT_ACTIONS = Set.of("ListTopics", "ListSubscriptions");

  private final LocalIam iam;
  private final SignatureV4 signatures;

  SnsAccess(LocalIam iam) {
    this.iam = iam;
    this.signatures = new SignatureV4(iam, "sns");
  }

  /** Refuses, with the SnsException SNS would answer, a request its caller may not make. */
  void check(HttpServerRequest request, String body, QueryRequest parameters) {
    String action = parameters.optional("Action").orElse("");
    if (request.getHeader("Authorization") == null && ANONYMOUS_ACTIONS.contains(action)) {
      return;
    }
    Principal caller;
    try {
      caller = signatures.verify(request, body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    } catch (AuthenticationFailure failure) {
      throw SnsException.notAuthenticated(failure);
    }
    String iamAction = action.equals("PublishBatch") ? "Publish" : action;
    Decision decision = iam.authorize(caller, "SNS:" + iamAction, resourceOf(action, parameters));
    if (!decision.allowed()) {
      throw SnsException.authorizationError(decision.message());
    }
  }

  private String resourceOf(String action, QueryRequest parameters) {
    if (ACCOUNT_ACTIONS.contains(action)) {
      return "*";
    }
    if (action.equals("CreateTopic")) {
      return "arn:aws:sns:" + iam.region() + ":" + iam.account() + ":" + parameters.optional("Name").orElse("");
    }
    String topic = parameters.optional("TopicArn").or(() -> parameters.optional("TargetArn")).orElse(null);
    if (topic != null) {
      return topic;
    }
    String subscription = parameters.optional("SubscriptionArn").orElse("");
    int lastColon = subscription.lastIndexOf(':');
    return lastColon > 0 ? subscription.substring(0, lastColon) : "*";
  }
}
