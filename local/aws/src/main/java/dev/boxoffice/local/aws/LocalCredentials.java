package dev.boxoffice.local.aws;

/**
 * The credentials and region every local AWS endpoint accepts. They are dummies, valid only against the local stack;
 * no real AWS account knows them.
 */
public final class LocalCredentials {

  public static final String ACCESS_KEY_ID = "boxoffice";
  public static final String SECRET_ACCESS_KEY = "boxoffice-local-secret";
  public static final String REGION = "us-east-1";

  private LocalCredentials() {
  }
}
