package dev.boxoffice.local.stepfunctions;

import java.net.URI;
import java.util.Objects;

/**
 * Settings of the local Step Functions.
 *
 * @param host the address the API listens on (127.0.0.1 for the local stack)
 * @param port the API port; 0 picks a free one, reported by {@link StepFunctionsApiVerticle#actualPort()}
 * @param region the region in ARNs and the one the SDK clients of service integrations use
 * @param accountId the account in ARNs
 * @param snsEndpoint where the SNS integrations send their calls (the local SNS); null for the SDK's default
 * @param dynamoDbEndpoint where the DynamoDB integrations send their calls (the local DynamoDB); null for the SDK's
 *     default
 * @param roleCredentials what the integrations sign with for each state machine's role
 * @param quotas the API and state transition throttling; {@link StepFunctionsQuotas#none()} for none
 */
public record StepFunctionsConfig(String host, int port, String region, String accountId, URI snsEndpoint,
    URI dynamoDbEndpoint, RoleCredentials roleCredentials, StepFunctionsQuotas quotas) {

  public static final String DEFAULT_REGION = "us-east-1";
  public static final String LOCAL_ACCOUNT = "000000000000";

  public StepFunctionsConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(roleCredentials, "roleCredentials");
    Objects.requireNonNull(quotas, "quotas");
  }

  /**
   * Loopback, a random port, us-east-1, account 000000000000, no service endpoints yet, one dummy key for every role,
   * and AWS's default quotas of us-east-1.
   */
  public static StepFunctionsConfig local() {
    return new StepFunctionsConfig("127.0.0.1", 0, DEFAULT_REGION, LOCAL_ACCOUNT, null, null,
        RoleCredentials.fixed("local", "local"), StepFunctionsQuotas.aws(DEFAULT_REGION));
  }

  public StepFunctionsConfig withPort(int newPort) {
    return new StepFunctionsConfig(host, newPort, region, accountId, snsEndpoint, dynamoDbEndpoint, roleCredentials,
        quotas);
  }

  public StepFunctionsConfig withRegion(String newRegion) {
    return new StepFunctionsConfig(host, port, newRegion, accountId, snsEndpoint, dynamoDbEndpoint, roleCredentials,
        quotas);
  }

  public StepFunctionsConfig withServiceEndpoints(URI newSnsEndpoint, URI newDynamoDbEndpoint) {
    return new StepFunctionsConfig(host, port, region, accountId, newSnsEndpoint, newDynamoDbEndpoint,
        roleCredentials, quotas);
  }

  public StepFunctionsConfig withRoleCredentials(RoleCredentials newRoleCredentials) {
    return new StepFunctionsConfig(host, port, region, accountId, snsEndpoint, dynamoDbEndpoint, newRoleCredentials,
        quotas);
  }

  public StepFunctionsConfig withQuotas(StepFunctionsQuotas newQuotas) {
    return new StepFunctionsConfig(host, port, region, accountId, snsEndpoint, dynamoDbEndpoint, roleCredentials,
        newQuotas);
  }
}
