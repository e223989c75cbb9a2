package dev.boxoffice.local.aws;

import dev.boxoffice.local.aws.iam.AccessKey;

/**
 * The local account: its id, its region, and the administrator's key every local endpoint accepts for everything
 * (setup, tests, the AWS CLI of the README). They are dummies, valid only against the local stack; no real AWS account
 * knows them. The roles' own keys are made at start-up by the local IAM.
 */
public final class LocalCredentials {

  public static final String ACCESS_KEY_ID = "boxoffice";
  public static final String SECRET_ACCESS_KEY = "boxoffice-local-secret";
  public static final String REGION = "us-east-1";
  public static final String ACCOUNT = "000000000000";
  public static final AccessKey ADMINISTRATOR = new AccessKey(ACCESS_KEY_ID, SECRET_ACCESS_KEY, null);

  private LocalCredentials() {
  }
}
