package dev.boxoffice.lambdas;

import dev.boxoffice.codecs.api.SubscriptionCheck;
import dev.boxoffice.codecs.api.SubscriptionStatus;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.Subscription;

/**
 * Where an address stands with the topic: its email subscription confirmed, pending confirmation, or absent. Reads
 * ListSubscriptionsByTopic (100 per page), so its cost grows with the number of subscribers.
 */
public final class SubscriptionLookup {

  private static final String PENDING = "PendingConfirmation";

  private final SnsClient sns;
  private final String topicArn;

  public SubscriptionLookup(SnsClient sns, String topicArn) {
    this.sns = sns;
    this.topicArn = topicArn;
  }

  /** The status of a normalised address (see {@link Emails#normalize}). */
  public SubscriptionCheck statusOf(String email) {
    boolean pending = false;
    for (Subscription subscription : sns.listSubscriptionsByTopicPaginator(list -> list.topicArn(topicArn))
        .subscriptions()) {
      if (!"email".equals(subscription.protocol()) && !"email-json".equals(subscription.protocol())
          || !email.equalsIgnoreCase(subscription.endpoint())) {
        continue;
      }
      String arn = subscription.subscriptionArn();
      if (arn != null && arn.startsWith("arn:")) {
        return new SubscriptionCheck(SubscriptionStatus.CONFIRMED, arn);
      }
      pending |= PENDING.equals(arn);
    }
    return new SubscriptionCheck(pending ? SubscriptionStatus.PENDING : SubscriptionStatus.NONE, null);
  }
}
