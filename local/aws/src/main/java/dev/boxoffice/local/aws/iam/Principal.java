package dev.boxoffice.local.aws.iam;

import java.util.Objects;

/**
 * Who signs a request to a local endpoint: the account's administrator (the documented local key, allowed everything,
 * as an account's root user or an administrator is), a session of one of the templates' roles, whose policies decide,
 * or an AWS service acting for one of the account's resources (CloudFront reading the media bucket), which only a
 * resource policy can let in.
 *
 * @param arn how AWS names the caller in its AccessDenied messages, e.g.
 *     {@code arn:aws:sts::000000000000:assumed-role/boxoffice-CreateTicketRole/boxoffice-CreateTicketFunction}
 * @param roleArn the role of a session ({@code arn:aws:iam::000000000000:role/...}); null otherwise
 * @param service the service principal, e.g. {@code cloudfront.amazonaws.com}; null unless {@code kind} is SERVICE
 * @param sourceArn the resource a service acts for, its {@code aws:SourceArn}; null unless {@code kind} is SERVICE
 * @param key what the principal signs with; null for a service calling in-process, which signs nothing
 */
public record Principal(Kind kind, String arn, String roleArn, String service, String sourceArn, AccessKey key) {

  /** The three kinds of caller the local IAM tells apart. */
  public enum Kind { ADMINISTRATOR, ROLE_SESSION, SERVICE }

  public Principal {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(arn, "arn");
  }

  static Principal administrator(String account, AccessKey key) {
    return new Principal(Kind.ADMINISTRATOR, "arn:aws:iam::" + account + ":root", null, null, null, key);
  }

  static Principal roleSession(String account, String roleArn, String sessionName, AccessKey key) {
    String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
    return new Principal(Kind.ROLE_SESSION, "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/"
        + sessionName, roleArn, null, null, key);
  }

  static Principal service(String service, String sourceArn, AccessKey key) {
    return new Principal(Kind.SERVICE, service, null, service, sourceArn, key);
  }
}
