package dev.boxoffice.local.cloud;

import dev.boxoffice.local.aws.LocalCredentials;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Who calls a local AWS endpoint, named by the role it plays in AWS, with the credentials it signs with. Everything
 * that calls the local AWS half gets its credentials here and nowhere else: the test kit's own setup and assertions
 * ({@link #admin()}), the backend's task role, each Lambda function's execution role, the state machines' role.
 *
 * <p>Today every local endpoint accepts the one documented key pair of {@link LocalCredentials}, so every principal
 * carries it. Local IAM (a role's own keys, checked by each endpoint against that role's policy in the templates)
 * changes what these factories return, and nothing that calls them.
 *
 * @param role the principal's role: {@code admin}, {@code backend-task}, {@code function/<logical id>} or
 *     {@code states}
 */
public record LocalPrincipal(String role, String accessKeyId, String secretAccessKey) {

  /** The region every local endpoint and ARN uses. */
  public static final String REGION = LocalCredentials.REGION;

  /** The test kit itself: creates tables, buckets, topics and state machines, and reads anything back. */
  public static LocalPrincipal admin() {
    return withLocalKeys("admin");
  }

  /** The backend's ECS task role: starts and describes Step Functions executions. */
  public static LocalPrincipal backendTask() {
    return withLocalKeys("backend-task");
  }

  /** The execution role of the template's Lambda function of logical id {@code functionLogicalId}. */
  public static LocalPrincipal function(String functionLogicalId) {
    return withLocalKeys("function/" + functionLogicalId);
  }

  /** The role the state machines' service integrations (SNS, DynamoDB) call with. */
  public static LocalPrincipal stateMachines() {
    return withLocalKeys("states");
  }

  /** For AWS SDK clients. */
  public AwsCredentialsProvider credentialsProvider() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
  }

  /** The variables Lambda sets for a function's role, which the handlers' SDK clients read. */
  public Map<String, String> environment() {
    return Map.of("AWS_ACCESS_KEY_ID", accessKeyId, "AWS_SECRET_ACCESS_KEY", secretAccessKey);
  }

  private static LocalPrincipal withLocalKeys(String role) {
    return new LocalPrincipal(role, LocalCredentials.ACCESS_KEY_ID, LocalCredentials.SECRET_ACCESS_KEY);
  }
}
