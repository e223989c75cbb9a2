package dev.boxoffice.local.cloud;

import dev.boxoffice.local.aws.lambda.LambdaFaults;
import java.util.Locale;
import java.util.Map;

/**
 * What the local account enforces, as AWS would: IAM (each call checked against its caller's policies in the
 * templates) and the service quotas. Both on by default; {@code BOXOFFICE_LOCAL_IAM=off} lets every known key do
 * everything, {@code BOXOFFICE_LOCAL_QUOTAS=off} (and the per-quota variables of {@link LocalQuotas}) change the
 * quotas. {@code BOXOFFICE_LOCAL_LAMBDA_FAULTS} runs a fault-injection experiment on functions ({@link LambdaFaults});
 * none by default.
 */
public record LocalAccount(boolean iamEnforced, LocalQuotas quotas, LambdaFaults lambdaFaults) {

  /** IAM and AWS's default quotas of the local region: what the tests run against. */
  public static LocalAccount asInAws() {
    return fromEnvironment(Map.of());
  }

  public static LocalAccount fromEnvironment(Map<String, String> environment) {
    String iam = environment.getOrDefault("BOXOFFICE_LOCAL_IAM", "on").trim().toLowerCase(Locale.ROOT);
    if (!iam.equals("on") && !iam.equals("off")) {
      throw new IllegalArgumentException("BOXOFFICE_LOCAL_IAM must be on or off, not " + iam);
    }
    return new LocalAccount(iam.equals("on"), LocalQuotas.fromEnvironment(environment),
        LambdaFaults.parse(environment.getOrDefault("BOXOFFICE_LOCAL_LAMBDA_FAULTS", "")));
  }
}
