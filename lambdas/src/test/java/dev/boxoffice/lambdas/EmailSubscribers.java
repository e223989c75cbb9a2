package dev.boxoffice.lambdas;

import com.fasterxml.jackson.databind.JsonNode;
import dev.boxoffice.local.cloud.LocalCloud;
import dev.boxoffice.local.cloud.LocalInbox;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Email subscribers of the template's topic: subscribed with the filter policy the subscription state machine sets,
 * and, when confirmed, through the link of the confirmation mail as the subscriber would.
 */
final class EmailSubscribers {

  private EmailSubscribers() {
  }

  /** Subscribes the address, unconfirmed; returns the subscription ARN. */
  static String pending(LocalCloud aws, String address, String filterPolicy) {
    String topicArn = aws.resources().topicArn("Topic");
    return aws.admin().sns().subscribe(subscribe -> subscribe.topicArn(topicArn).protocol("email").endpoint(address)
        .returnSubscriptionArn(true).attributes(Map.of("FilterPolicy", filterPolicy))).subscriptionArn();
  }

  /** Subscribes the address and confirms it; returns the subscription ARN. */
  static String confirmed(LocalCloud aws, String address, String filterPolicy) throws InterruptedException {
    String arn = pending(aws, address, filterPolicy);
    JsonNode confirmation = aws.inbox().awaitMail(address,
        mail -> mail.path("subject").asText().contains("Subscription Confirmation"));
    HttpResponse<String> confirmed = LocalInbox.get(URI.create(confirmation.path("links").get(0).asText()));
    if (confirmed.statusCode() != 200) {
      throw new AssertionError("confirmation answered " + confirmed.statusCode() + ": " + confirmed.body());
    }
    return arn;
  }
}
