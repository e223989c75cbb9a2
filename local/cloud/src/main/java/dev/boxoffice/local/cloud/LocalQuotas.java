package dev.boxoffice.local.cloud;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.lambda.LambdaQuotas;
import dev.boxoffice.local.aws.sns.SnsQuotas;
import dev.boxoffice.local.stepfunctions.StepFunctionsQuotas;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The quotas the local AWS half enforces: AWS's published defaults for a region, on unless turned off, each
 * changeable on its own. Read from the environment:
 *
 * <ul>
 *   <li>{@code BOXOFFICE_LOCAL_QUOTAS}: {@code on} (default) or {@code off} (no throttling, no account concurrency
 *       limit, no filter policy limit);
 *   <li>{@code BOXOFFICE_LOCAL_QUOTA_REGION}: whose defaults apply (default us-east-1, the local stack's region);
 *   <li>{@code BOXOFFICE_LOCAL_LAMBDA_CONCURRENCY}: the account's concurrent executions (default 1000);
 *   <li>{@code BOXOFFICE_LOCAL_LAMBDA_IDLE_SECONDS}: how long an idle execution environment stays warm (300);
 *   <li>{@code BOXOFFICE_LOCAL_SFN_START_EXECUTION}: StartExecution's bucket for Standard workflows, as
 *       {@code SIZE/REFILL_PER_SECOND} (1300/300 in the region's default);
 *   <li>{@code BOXOFFICE_LOCAL_SFN_STATE_TRANSITIONS}: the Standard state transition bucket (5000/5000);
 *   <li>{@code BOXOFFICE_LOCAL_SNS_PUBLISH_TPS}: Publish calls per second (30000).
 * </ul>
 */
public record LocalQuotas(String region, LambdaQuotas lambda, StepFunctionsQuotas stepFunctions, SnsQuotas sns) {

  /** AWS's defaults in {@code region}. */
  public static LocalQuotas aws(String region) {
    return new LocalQuotas(region, LambdaQuotas.aws(), StepFunctionsQuotas.aws(region), SnsQuotas.aws(region));
  }

  /** Nothing throttled, no account limit. */
  public static LocalQuotas off() {
    return new LocalQuotas(LocalCredentials.REGION, LambdaQuotas.unlimited(), StepFunctionsQuotas.none(),
        SnsQuotas.unlimited());
  }

  public static LocalQuotas fromEnvironment(Map<String, String> environment) {
    String switchValue = environment.getOrDefault("BOXOFFICE_LOCAL_QUOTAS", "on").trim().toLowerCase(Locale.ROOT);
    if (switchValue.equals("off")) {
      return off();
    }
    if (!switchValue.equals("on")) {
      throw new IllegalArgumentException("BOXOFFICE_LOCAL_QUOTAS must be on or off, not " + switchValue);
    }
    LocalQuotas quotas = aws(environment.getOrDefault("BOXOFFICE_LOCAL_QUOTA_REGION", LocalCredentials.REGION)
        .trim());
    LambdaQuotas lambda = quotas.lambda();
    String concurrency = environment.get("BOXOFFICE_LOCAL_LAMBDA_CONCURRENCY");
    if (concurrency != null) {
      lambda = new LambdaQuotas(positive("BOXOFFICE_LOCAL_LAMBDA_CONCURRENCY", concurrency), lambda.idleLifetime());
    }
    String idleSeconds = environment.get("BOXOFFICE_LOCAL_LAMBDA_IDLE_SECONDS");
    if (idleSeconds != null) {
      lambda = new LambdaQuotas(lambda.accountConcurrency(),
          Duration.ofSeconds(positive("BOXOFFICE_LOCAL_LAMBDA_IDLE_SECONDS", idleSeconds)));
    }
    StepFunctionsQuotas stepFunctions = quotas.stepFunctions();
    String starts = environment.get("BOXOFFICE_LOCAL_SFN_START_EXECUTION");
    if (starts != null) {
      stepFunctions = stepFunctions.withApiBucket("StartExecution", bucket("BOXOFFICE_LOCAL_SFN_START_EXECUTION",
          starts));
    }
    String transitions = environment.get("BOXOFFICE_LOCAL_SFN_STATE_TRANSITIONS");
    if (transitions != null) {
      stepFunctions = stepFunctions.withStandardTransitions(bucket("BOXOFFICE_LOCAL_SFN_STATE_TRANSITIONS",
          transitions));
    }
    SnsQuotas sns = quotas.sns();
    String publish = environment.get("BOXOFFICE_LOCAL_SNS_PUBLISH_TPS");
    if (publish != null) {
      sns = sns.withPublishPerSecond(positive("BOXOFFICE_LOCAL_SNS_PUBLISH_TPS", publish));
    }
    return new LocalQuotas(quotas.region(), lambda, stepFunctions, sns);
  }

  private static int positive(String variable, String value) {
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new IllegalArgumentException(variable + " must be a positive whole number, not " + value);
  }

  private static StepFunctionsQuotas.Bucket bucket(String variable, String value) {
    try {
      return StepFunctionsQuotas.Bucket.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(variable + ": " + e.getMessage(), e);
    }
  }
}
