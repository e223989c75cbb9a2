package dev.boxoffice.local.stepfunctions;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The credentials the engine's service integrations sign with for a state machine, as Step Functions assumes the
 * machine's role in AWS: each machine's SNS and DynamoDB calls carry its own role's keys, so the services check them
 * against that role's policies.
 */
@FunctionalInterface
public interface RoleCredentials {

  AwsCredentialsProvider forRole(String roleArn);

  /** The same key for every role: for an engine whose neighbours check no policies. */
  static RoleCredentials fixed(String accessKeyId, String secretAccessKey) {
    AwsCredentialsProvider provider = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    return roleArn -> provider;
  }
}
