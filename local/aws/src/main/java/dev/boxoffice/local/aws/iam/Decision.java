package dev.boxoffice.local.aws.iam;

/**
 * What the local IAM decided for one action on one resource. A refusal carries AWS's own sentence, e.g. "User:
 * arn:aws:sts::000000000000:assumed-role/R/S is not authorized to perform: s3:ListBucket on resource:
 * arn:aws:s3:::b because no identity-based policy allows the s3:ListBucket action", which every endpoint puts in its
 * service's AccessDenied error.
 */
public record Decision(boolean allowed, String principalArn, String action, String resourceArn, Reason reason) {

  /** Why a call was refused, in the words AWS ends its message with. */
  public enum Reason {
    ALLOWED(""),
    NO_ALLOW("because no identity-based policy allows the %s action"),
    IDENTITY_DENY("with an explicit deny in an identity-based policy"),
    RESOURCE_DENY("with an explicit deny in a resource-based policy"),
    NO_RESOURCE_ALLOW("because no resource-based policy allows the %s action");

    private final String ending;

    Reason(String ending) {
      this.ending = ending;
    }
  }

  static Decision allow(Principal principal, String action, String resourceArn) {
    return new Decision(true, principal.arn(), action, resourceArn, Reason.ALLOWED);
  }

  static Decision deny(Principal principal, String action, String resourceArn, Reason reason) {
    return new Decision(false, principal.arn(), action, resourceArn, reason);
  }

  /** AWS's refusal sentence with the resource as most services print it. */
  public String message() {
    return message(false);
  }

  /**
   * AWS's refusal sentence.
   *
   * @param quotedResource true for S3, which prints the resource in double quotes
   */
  public String message(boolean quotedResource) {
    String resource = quotedResource ? "\"" + resourceArn + "\"" : resourceArn;
    return "User: " + principalArn + " is not authorized to perform: " + action + " on resource: " + resource + " "
        + reason.ending.formatted(action);
  }
}
