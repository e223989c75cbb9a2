package dev.boxoffice.local.cloud;

import dev.boxoffice.local.aws.LocalCredentials;
import dev.boxoffice.local.aws.iam.AccessKey;
import dev.boxoffice.local.aws.iam.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Who calls a local AWS endpoint, named by the role it plays in AWS, with the credentials it signs with. Everything
 * that calls the local AWS half gets its credentials from {@link LocalCloud#principals()} and nowhere else: the test
 * kit's own setup and assertions ({@link #admin()}), the backend's task role, each Lambda function's execution role,
 * each state machine's role. Every endpoint checks a role's calls against that role's policies in the templates.
 *
 * @param role the principal's role: {@code admin}, {@code backend-task}, {@code function/<logical id>},
 *     {@code state-machine/<logical id>} or {@code cloudfront}
 * @param arn how AWS names the caller, e.g. {@code arn:aws:sts::000000000000:assumed-role/<role>/<session>}
 */
public record LocalPrincipal(String role, String arn, AccessKey key) {

  /** The region every local endpoint and ARN uses. */
  public static final String REGION = LocalCredentials.REGION;

  /**
   * The account's administrator, with the documented local key: allowed everything, as the test kit's setup and
   * assertions and the AWS CLI of the README need. Valid against any local stack.
   */
  public static LocalPrincipal admin() {
    return new LocalPrincipal("admin", "arn:aws:iam::" + LocalCredentials.ACCOUNT + ":root",
        LocalCredentials.ADMINISTRATOR);
  }

  static LocalPrincipal of(String role, Principal principal) {
    return new LocalPrincipal(role, principal.arn(), principal.key());
  }

  public String accessKeyId() {
    return key.accessKeyId();
  }

  public String secretAccessKey() {
    return key.secretAccessKey();
  }

  /** The session token of a role's temporary credentials; null for the administrator's key. */
  public String sessionToken() {
    return key.sessionToken();
  }

  /** For AWS SDK clients. */
  public AwsCredentialsProvider credentialsProvider() {
    return StaticCredentialsProvider.create(key.sessionToken() == null
        ? AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey())
        : AwsSessionCredentials.create(key.accessKeyId(), key.secretAccessKey(), key.sessionToken()));
  }

  /** The variables Lambda sets for a function's role, which the handlers' SDK clients read. */
  public Map<String, String> environment() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("AWS_ACCESS_KEY_ID", key.accessKeyId());
    environment.put("AWS_SECRET_ACCESS_KEY", key.secretAccessKey());
    if (key.sessionToken() != null) {
      environment.put("AWS_SESSION_TOKEN", key.sessionToken());
    }
    return environment;
  }
}
