package dev.boxoffice.local.stepfunctions;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The throttling quotas of Step Functions, per account and region, as AWS publishes their defaults
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html): a token bucket per API action and one for
 * the state transitions of Standard workflows, with larger values in US East (N. Virginia), US West (Oregon) and
 * Europe (Ireland) than elsewhere. Express workflows have a StartExecution bucket of their own and unthrottled
 * transitions.
 *
 * @param apiBuckets the bucket of each throttled API action, for Standard workflows
 * @param expressStartExecution the StartExecution bucket of Express workflows
 * @param standardTransitions the state transition bucket of Standard workflows; null for none
 */
public record StepFunctionsQuotas(Map<String, Bucket> apiBuckets, Bucket expressStartExecution,
                                  Bucket standardTransitions) {

  /** A token bucket: {@code size} tokens, refilled at {@code refillPerSecond}. */
  public record Bucket(double size, double refillPerSecond) {

    public Bucket {
      if (size < 1 || refillPerSecond <= 0) {
        throw new IllegalArgumentException("a bucket needs at least 1 token and a positive refill rate, not "
            + size + "/" + refillPerSecond);
      }
    }

    /** {@code "1300/300"}: a size and a refill rate per second. */
    public static Bucket parse(String text) {
      String[] parts = text.trim().split("/");
      try {
        if (parts.length == 2) {
          return new Bucket(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]));
        }
      } catch (NumberFormatException e) {
        // answered below
      }
      throw new IllegalArgumentException("a bucket is written SIZE/REFILL_PER_SECOND, e.g. 1300/300, not " + text);
    }

    @Override
    public String toString() {
      return (long) size + "/" + refillPerSecond;
    }
  }

  /** The regions AWS gives the larger buckets. */
  private static final Set<String> LARGE_REGIONS = Set.of("us-east-1", "us-west-2", "eu-west-1");

  public StepFunctionsQuotas {
    apiBuckets = Map.copyOf(apiBuckets);
  }

  /** AWS's published defaults in {@code region}. */
  public static StepFunctionsQuotas aws(String region) {
    boolean large = LARGE_REGIONS.contains(region);
    Map<String, Bucket> api = new HashMap<>();
    api.put("StartExecution", large ? new Bucket(1300, 300) : new Bucket(800, 150));
    api.put("CreateStateMachine", new Bucket(100, 1));
    api.put("DeleteStateMachine", new Bucket(100, 1));
    api.put("DescribeExecution", large ? new Bucket(300, 15) : new Bucket(250, 10));
    api.put("DescribeStateMachine", new Bucket(200, 20));
    api.put("DescribeStateMachineForExecution", new Bucket(200, 1));
    api.put("GetExecutionHistory", new Bucket(400, 20));
    api.put("ListExecutions", large ? new Bucket(200, 5) : new Bucket(100, 2));
    api.put("ListStateMachines", new Bucket(100, 5));
    api.put("ListTagsForResource", new Bucket(100, 1));
    api.put("SendTaskFailure", large ? new Bucket(3000, 500) : new Bucket(1500, 300));
    api.put("SendTaskHeartbeat", large ? new Bucket(3000, 500) : new Bucket(1500, 300));
    api.put("SendTaskSuccess", large ? new Bucket(3000, 500) : new Bucket(1500, 300));
    api.put("StopExecution", large ? new Bucket(1000, 200) : new Bucket(500, 25));
    api.put("TagResource", new Bucket(200, 1));
    api.put("UntagResource", new Bucket(200, 1));
    api.put("UpdateStateMachine", new Bucket(100, 1));
    api.put("ValidateStateMachineDefinition", new Bucket(100, 1));
    return new StepFunctionsQuotas(api, new Bucket(6000, 6000),
        large ? new Bucket(5000, 5000) : new Bucket(800, 800));
  }

  /** No throttling at all. */
  public static StepFunctionsQuotas none() {
    return new StepFunctionsQuotas(Map.of(), null, null);
  }

  /** These quotas with the bucket of one API action replaced. */
  public StepFunctionsQuotas withApiBucket(String action, Bucket bucket) {
    Map<String, Bucket> api = new HashMap<>(apiBuckets);
    api.put(action, Objects.requireNonNull(bucket, "bucket"));
    return new StepFunctionsQuotas(api, expressStartExecution, standardTransitions);
  }

  /** These quotas with the state transition bucket of Standard workflows replaced. */
  public StepFunctionsQuotas withStandardTransitions(Bucket bucket) {
    return new StepFunctionsQuotas(apiBuckets, expressStartExecution, bucket);
  }
}
