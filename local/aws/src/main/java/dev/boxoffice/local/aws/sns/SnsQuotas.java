package dev.boxoffice.local.aws.sns;

import java.util.Set;

/**
 * The SNS quotas the local SNS enforces, with AWS's defaults (https://docs.aws.amazon.com/general/latest/gr/sns.html):
 * filter policies per topic and per account, and the Publish rate of the account in the region.
 *
 * @param publishPerSecond Publish calls per second for the account; 0 for no limit
 * @param filterPoliciesPerTopic subscriptions of one topic that may carry a filter policy; 0 for no limit
 * @param filterPoliciesPerAccount subscriptions of the account that may carry a filter policy; 0 for no limit
 */
public record SnsQuotas(double publishPerSecond, int filterPoliciesPerTopic, int filterPoliciesPerAccount) {

  private static final Set<String> MEDIUM_REGIONS = Set.of("us-east-2", "us-west-1", "ap-south-1", "ap-northeast-1",
      "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "ca-central-1", "eu-central-1", "eu-west-2", "eu-west-3",
      "eu-north-1", "sa-east-1");

  public SnsQuotas {
    if (publishPerSecond < 0 || filterPoliciesPerTopic < 0 || filterPoliciesPerAccount < 0) {
      throw new IllegalArgumentException("SNS quotas cannot be negative");
    }
  }

  /**
   * AWS's defaults in {@code region}: 200 filter policies per topic, 10,000 per account, and a Publish rate of 30,000
   * per second in US East (N. Virginia), 9,000 in US West (Oregon) and Europe (Ireland), 1,500 in the other large
   * regions and 300 in the rest.
   */
  public static SnsQuotas aws(String region) {
    double publish = switch (region) {
      case "us-east-1" -> 30_000;
      case "us-west-2", "eu-west-1" -> 9_000;
      default -> MEDIUM_REGIONS.contains(region) ? 1_500 : 300;
    };
    return new SnsQuotas(publish, 200, 10_000);
  }

  public static SnsQuotas unlimited() {
    return new SnsQuotas(0, 0, 0);
  }

  public SnsQuotas withPublishPerSecond(double perSecond) {
    return new SnsQuotas(perSecond, filterPoliciesPerTopic, filterPoliciesPerAccount);
  }
}
