package dev.boxoffice.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.boxoffice.local.stepfunctions.StepFunctionsQuotas.Bucket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("What the local account enforces, read from the environment")
class LocalAccountTest {

  @Test
  @DisplayName("with nothing set, IAM is on and the quotas are AWS's published defaults of us-east-1")
  void onByDefault() {
    LocalAccount account = LocalAccount.fromEnvironment(Map.of());

    assertThat(account.iamEnforced()).isTrue();
    LocalQuotas quotas = account.quotas();
    assertThat(quotas.region()).isEqualTo("us-east-1");
    assertThat(quotas.lambda().accountConcurrency()).isEqualTo(1000);
    assertThat(quotas.lambda().idleLifetime()).isEqualTo(Duration.ofMinutes(5));
    assertThat(quotas.stepFunctions().apiBuckets().get("StartExecution")).isEqualTo(new Bucket(1300, 300));
    assertThat(quotas.stepFunctions().apiBuckets().get("DescribeExecution")).isEqualTo(new Bucket(300, 15));
    assertThat(quotas.stepFunctions().standardTransitions()).isEqualTo(new Bucket(5000, 5000));
    assertThat(quotas.sns().publishPerSecond()).isEqualTo(30_000);
    assertThat(quotas.sns().filterPoliciesPerTopic()).isEqualTo(200);
    assertThat(quotas.sns().filterPoliciesPerAccount()).isEqualTo(10_000);
  }

  @Test
  @DisplayName("another region gets that region's smaller buckets")
  void smallerRegion() {
    LocalQuotas quotas = LocalAccount.fromEnvironment(Map.of("BOXOFFICE_LOCAL_QUOTA_REGION", "eu-central-1"))
        .quotas();

    assertThat(quotas.stepFunctions().apiBuckets().get("StartExecution")).isEqualTo(new Bucket(800, 150));
    assertThat(quotas.stepFunctions().standardTransitions()).isEqualTo(new Bucket(800, 800));
    assertThat(quotas.sns().publishPerSecond()).isEqualTo(1_500);
  }

  @Test
  @DisplayName("each quota changes on its own, and the switches turn IAM and every quota off")
  void switches() {
    LocalQuotas changed = LocalAccount.fromEnvironment(Map.of(
        "BOXOFFICE_LOCAL_LAMBDA_CONCURRENCY", "10",
        "BOXOFFICE_LOCAL_LAMBDA_IDLE_SECONDS", "30",
        "BOXOFFICE_LOCAL_SFN_START_EXECUTION", "20/2",
        "BOXOFFICE_LOCAL_SFN_STATE_TRANSITIONS", "100/50",
        "BOXOFFICE_LOCAL_SNS_PUBLISH_TPS", "5")).quotas();
    assertThat(changed.lambda().accountConcurrency()).isEqualTo(10);
    assertThat(changed.lambda().idleLifetime()).isEqualTo(Duration.ofSeconds(30));
    assertThat(changed.stepFunctions().apiBuckets().get("StartExecution")).isEqualTo(new Bucket(20, 2));
    assertThat(changed.stepFunctions().apiBuckets().get("DescribeExecution")).isEqualTo(new Bucket(300, 15));
    assertThat(changed.stepFunctions().standardTransitions()).isEqualTo(new Bucket(100, 50));
    assertThat(changed.sns().publishPerSecond()).isEqualTo(5);

    LocalAccount off = LocalAccount.fromEnvironment(Map.of("BOXOFFICE_LOCAL_IAM", "off",
        "BOXOFFICE_LOCAL_QUOTAS", "OFF"));
    assertThat(off.iamEnforced()).isFalse();
    assertThat(off.quotas().stepFunctions().apiBuckets()).isEmpty();
    assertThat(off.quotas().stepFunctions().standardTransitions()).isNull();
    assertThat(off.quotas().lambda().accountConcurrency()).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  @DisplayName("a value that is not one refuses to start, naming the variable")
  void badValues() {
    assertThatThrownBy(() -> LocalAccount.fromEnvironment(Map.of("BOXOFFICE_LOCAL_IAM", "maybe")))
        .hasMessage("BOXOFFICE_LOCAL_IAM must be on or off, not maybe");
    assertThatThrownBy(() -> LocalAccount.fromEnvironment(Map.of("BOXOFFICE_LOCAL_LAMBDA_CONCURRENCY", "0")))
        .hasMessage("BOXOFFICE_LOCAL_LAMBDA_CONCURRENCY must be a positive whole number, not 0");
    assertThatThrownBy(() -> LocalAccount.fromEnvironment(Map.of("BOXOFFICE_LOCAL_SFN_START_EXECUTION", "1300")))
        .hasMessageStartingWith("BOXOFFICE_LOCAL_SFN_START_EXECUTION: a bucket is written SIZE/REFILL_PER_SECOND");
  }
}
