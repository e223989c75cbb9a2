package dev.boxoffice.local.aws.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One statement of an identity or resource policy: its effect, the actions and resources it covers (or, with
 * {@code NotAction}/{@code NotResource}, those it leaves out), for a resource policy the principals it names, and its
 * conditions.
 *
 * @param principals null in identity policies; in resource policies the {@code Principal} (or {@code NotPrincipal})
 */
record PolicyStatement(String sid, boolean allow, List<String> actions, boolean notAction, List<String> resources,
                       boolean notResource, PrincipalBlock principals, List<PolicyCondition> conditions) {

  /** How strongly a resource policy's statement names a caller. */
  enum PrincipalMatch {
    /** Not named. */
    NONE,
    /** Named as the whole account: the statement delegates to the account's identity policies. */
    ACCOUNT,
    /** Named itself, as {@code *}, as its role or as its service. */
    DIRECT
  }

  /**
   * The statements of a policy document ({@code Statement} an object or a list).
   *
   * @param resourcePolicy whether the document is a resource policy, whose statements must name principals
   */
  static List<PolicyStatement> parse(JsonNode document, String where, boolean resourcePolicy) {
    JsonNode statements = document.path("Statement");
    List<PolicyStatement> parsed = new ArrayList<>();
    if (statements.isObject()) {
      parsed.add(parseOne(statements, where, resourcePolicy));
    } else if (statements.isArray()) {
      statements.forEach(statement -> parsed.add(parseOne(statement, where, resourcePolicy)));
    } else {
      throw new IllegalArgumentException(where + ": the policy has no Statement");
    }
    return parsed;
  }

  /** A statement built in code, for the AWS managed policies the local IAM knows. */
  static PolicyStatement allow(List<String> actions, List<String> resources) {
    return new PolicyStatement(null, true, actions, false, resources, false, null, List.of());
  }

  private static PolicyStatement parseOne(JsonNode statement, String where, boolean resourcePolicy) {
    String sid = statement.path("Sid").asText(null);
    String located = sid == null ? where : where + " (" + sid + ")";
    String effect = statement.path("Effect").asText();
    if (!effect.equals("Allow") && !effect.equals("Deny")) {
      throw new IllegalArgumentException(located + ": Effect must be Allow or Deny, not '" + effect + "'");
    }
    boolean notAction = statement.has("NotAction");
    boolean notResource = statement.has("NotResource");
    List<String> actions = strings(statement.get(notAction ? "NotAction" : "Action"), located, "Action");
    List<String> resources = strings(statement.get(notResource ? "NotResource" : "Resource"), located, "Resource");
    PrincipalBlock principals = null;
    if (resourcePolicy) {
      boolean notPrincipal = statement.has("NotPrincipal");
      JsonNode block = statement.get(notPrincipal ? "NotPrincipal" : "Principal");
      if (block == null) {
        throw new IllegalArgumentException(located + ": a resource policy's statement needs a Principal");
      }
      principals = PrincipalBlock.parse(block, notPrincipal);
    }
    return new PolicyStatement(sid, effect.equals("Allow"), actions, notAction, resources, notResource, principals,
        PolicyCondition.parse(statement.get("Condition"), located));
  }

  private static List<String> strings(JsonNode node, String where, String field) {
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException(where + ": the statement has neither " + field + " nor Not" + field);
    }
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(value -> values.add(value.asText()));
    } else {
      values.add(node.asText());
    }
    return values;
  }

  /** Whether the statement covers the action on the resource, and its conditions hold. */
  boolean applies(String action, String resourceArn, Map<String, String> context) {
    boolean actionListed = actions.stream().anyMatch(pattern -> Wildcards.matches(pattern, action, true));
    boolean resourceListed = resources.stream().anyMatch(pattern -> Wildcards.matches(pattern, resourceArn, false));
    return actionListed != notAction && resourceListed != notResource
        && conditions.stream().allMatch(condition -> condition.holds(context));
  }

  PrincipalMatch names(Principal principal, String account) {
    return principals == null ? PrincipalMatch.NONE : principals.match(principal, account);
  }

  /** A resource policy statement's {@code Principal} or {@code NotPrincipal}. */
  record PrincipalBlock(boolean everyone, List<String> awsPrincipals, List<String> services, boolean negated) {

    static PrincipalBlock parse(JsonNode block, boolean negated) {
      if (block.isTextual()) {
        if (!block.asText().equals("*")) {
          throw new IllegalArgumentException("a Principal given as a string must be \"*\", not " + block);
        }
        return new PrincipalBlock(true, List.of(), List.of(), negated);
      }
      List<String> aws = texts(block.get("AWS"));
      return new PrincipalBlock(aws.contains("*"), aws, texts(block.get("Service")), negated);
    }

    private static List<String> texts(JsonNode node) {
      List<String> values = new ArrayList<>();
      if (node == null) {
        return values;
      }
      if (node.isArray()) {
        node.forEach(value -> values.add(value.asText()));
      } else {
        values.add(node.asText());
      }
      return values;
    }

    PrincipalMatch match(Principal principal, String account) {
      PrincipalMatch match = directMatch(principal, account);
      if (!negated) {
        return match;
      }
      return match == PrincipalMatch.NONE ? PrincipalMatch.DIRECT : PrincipalMatch.NONE;
    }

    private PrincipalMatch directMatch(Principal principal, String account) {
      if (everyone) {
        return PrincipalMatch.DIRECT;
      }
      if (principal.service() != null) {
        return services.contains(principal.service()) ? PrincipalMatch.DIRECT : PrincipalMatch.NONE;
      }
      for (String named : awsPrincipals) {
        if (named.equals(principal.arn()) || named.equals(principal.roleArn())) {
          return PrincipalMatch.DIRECT;
        }
      }
      boolean wholeAccount = awsPrincipals.contains(account)
          || awsPrincipals.contains("arn:aws:iam::" + account + ":root");
      return wholeAccount ? PrincipalMatch.ACCOUNT : PrincipalMatch.NONE;
    }
  }
}
