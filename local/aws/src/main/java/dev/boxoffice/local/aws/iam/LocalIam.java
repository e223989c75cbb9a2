package dev.boxoffice.local.aws.iam;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local account's IAM: who each access key belongs to, and what each principal may do, decided as AWS's policy
 * evaluation does for calls within one account. An explicit Deny in the caller's identity policies or in the
 * resource's policy wins; otherwise an Allow in either lets the call through; otherwise it is refused. Conditions see
 * {@code aws:SecureTransport} as true (the loopback endpoints stand in for AWS's HTTPS ones), the caller's
 * {@code aws:PrincipalArn} and {@code aws:PrincipalAccount}, and a service's {@code aws:SourceArn} and
 * {@code aws:SourceAccount}.
 *
 * <p>The administrator's key (the documented local key) is allowed everything, as an account's administrator is.
 * With enforcement off every known key is allowed everything, and keys still tell callers apart.
 */
public final class LocalIam implements Authorizer {

  private final String account;
  private final String region;
  private final boolean enforced;
  private final Principal administrator;
  private final Map<String, Principal> principalsByKey = new ConcurrentHashMap<>();
  private final Map<String, Principal> sessionsByRole;
  private final Map<String, Principal> servicesBySource;
  private final Map<String, List<PolicyStatement>> identityPolicies;
  private final Map<String, List<PolicyStatement>> resourcePolicies;

  private LocalIam(Builder builder) {
    this.account = builder.account;
    this.region = builder.region;
    this.enforced = builder.enforced;
    this.administrator = builder.administrator;
    this.sessionsByRole = Map.copyOf(builder.sessionsByRole);
    this.servicesBySource = new ConcurrentHashMap<>(builder.servicesBySource);
    this.identityPolicies = Map.copyOf(builder.identityPolicies);
    this.resourcePolicies = Map.copyOf(builder.resourcePolicies);
    principalsByKey.put(administrator.key().accessKeyId(), administrator);
    sessionsByRole.values().forEach(session -> principalsByKey.put(session.key().accessKeyId(), session));
    servicesBySource.values().forEach(service -> principalsByKey.put(service.key().accessKeyId(), service));
  }

  /**
   * An IAM that knows only the administrator's key: for a service started on its own, as the services' unit tests
   * and the second clients do.
   */
  public static LocalIam administratorOnly(String account, String region, AccessKey administratorKey) {
    return builder(account, region, administratorKey, true).build();
  }

  public static Builder builder(String account, String region, AccessKey administratorKey, boolean enforced) {
    return new Builder(account, region, administratorKey, enforced);
  }

  public String account() {
    return account;
  }

  public String region() {
    return region;
  }

  /** False when a developer turned local IAM off ({@code BOXOFFICE_LOCAL_IAM=off}). */
  public boolean enforced() {
    return enforced;
  }

  /** The principal a key belongs to, if any. */
  public Optional<Principal> principal(String accessKeyId) {
    return Optional.ofNullable(principalsByKey.get(accessKeyId));
  }

  public Principal administrator() {
    return administrator;
  }

  /** The session of the role of ARN {@code roleArn}, with its credentials. */
  public Principal session(String roleArn) {
    Principal session = sessionsByRole.get(roleArn);
    if (session == null) {
      throw new NoSuchElementException("the local IAM has no session of the role " + roleArn
          + " (known: " + sessionsByRole.keySet() + ")");
    }
    return session;
  }

  /** The sessions of every role, by role ARN. */
  public Map<String, Principal> sessions() {
    return sessionsByRole;
  }

  /** The principal of an AWS service acting for one resource of the account, e.g. a CloudFront distribution. */
  public Principal service(String service, String sourceArn) {
    Principal principal = servicesBySource.get(service + " " + sourceArn);
    if (principal == null) {
      throw new NoSuchElementException("the local IAM knows no " + service + " acting for " + sourceArn);
    }
    return principal;
  }

  /**
   * An AWS service acting for one resource with a key of its own, made when first asked for: what the local SNS signs
   * its deliveries to a queue with for a topic, and SES its events for a configuration set. As in AWS, only a resource
   * policy naming the service (and, by a condition, the resource it acts for) lets it in.
   */
  public Principal signingService(String service, String sourceArn) {
    return servicesBySource.computeIfAbsent(service + " " + sourceArn, ignored -> {
      Principal principal = Principal.service(service, sourceArn, AccessKey.temporary());
      principalsByKey.put(principal.key().accessKeyId(), principal);
      return principal;
    });
  }

  /**
   * A service calling in-process on behalf of one resource (API Gateway invoking a function for one route): no key,
   * only what the resource policies grant it.
   */
  public Principal serviceCall(String service, String sourceArn) {
    return new Principal(Principal.Kind.SERVICE, service, null, service, sourceArn, null);
  }

  @Override
  public Decision authorize(Principal principal, String action, String resourceArn) {
    return authorize(principal, action, resourceArn, Map.of());
  }

  /**
   * As {@link #authorize(Principal, String, String)}, with the service's own condition keys of the request (e.g.
   * S3's {@code s3:prefix} of a ListObjects).
   */
  public Decision authorize(Principal principal, String action, String resourceArn,
                            Map<String, String> requestContext) {
    if (!enforced || principal.kind() == Principal.Kind.ADMINISTRATOR) {
      return Decision.allow(principal, action, resourceArn);
    }
    Map<String, String> context = context(principal);
    requestContext.forEach((key, value) -> context.put(key.toLowerCase(Locale.ROOT), value));
    List<PolicyStatement> identity = principal.roleArn() == null
        ? List.of() : identityPolicies.getOrDefault(principal.roleArn(), List.of());
    List<PolicyStatement> resource = resourcePolicyOf(resourceArn);
    if (identity.stream().anyMatch(statement -> !statement.allow()
        && statement.applies(action, resourceArn, context))) {
      return Decision.deny(principal, action, resourceArn, Decision.Reason.IDENTITY_DENY);
    }
    if (resource.stream().anyMatch(statement -> !statement.allow()
        && statement.names(principal, account) != PolicyStatement.PrincipalMatch.NONE
        && statement.applies(action, resourceArn, context))) {
      return Decision.deny(principal, action, resourceArn, Decision.Reason.RESOURCE_DENY);
    }
    boolean identityAllows = identity.stream().anyMatch(statement -> statement.allow()
        && statement.applies(action, resourceArn, context));
    boolean resourceAllows = resource.stream().anyMatch(statement -> statement.allow()
        && statement.names(principal, account) == PolicyStatement.PrincipalMatch.DIRECT
        && statement.applies(action, resourceArn, context));
    if (identityAllows || resourceAllows) {
      return Decision.allow(principal, action, resourceArn);
    }
    return Decision.deny(principal, action, resourceArn, principal.kind() == Principal.Kind.SERVICE
        ? Decision.Reason.NO_RESOURCE_ALLOW : Decision.Reason.NO_ALLOW);
  }

  private Map<String, String> context(Principal principal) {
    Map<String, String> context = new HashMap<>();
    context.put("aws:securetransport", "true");
    context.put("aws:requestedregion", region);
    if (principal.kind() == Principal.Kind.SERVICE) {
      context.put("aws:sourcearn", principal.sourceArn());
      context.put("aws:sourceaccount", account);
    } else {
      context.put("aws:principalarn", principal.roleArn() == null ? principal.arn() : principal.roleArn());
      context.put("aws:principalaccount", account);
    }
    return context;
  }

  /** The policy of the resource that owns an ARN: an object's bucket, a function without its qualifier. */
  private List<PolicyStatement> resourcePolicyOf(String resourceArn) {
    return resourcePolicies.getOrDefault(ownerOf(resourceArn), List.of());
  }

  static String ownerOf(String resourceArn) {
    if (resourceArn.startsWith("arn:aws:s3:::")) {
      int slash = resourceArn.indexOf('/');
      return slash < 0 ? resourceArn : resourceArn.substring(0, slash);
    }
    String[] parts = resourceArn.split(":");
    if (parts.length == 8 && parts[2].equals("lambda") && parts[5].equals("function")) {
      return String.join(":", List.of(parts).subList(0, 7));
    }
    return resourceArn;
  }

  /** Collects roles, resource policies and service principals, then builds the IAM. */
  public static final class Builder {

    private final String account;
    private final String region;
    private final boolean enforced;
    private final Principal administrator;
    private final Map<String, Principal> sessionsByRole = new LinkedHashMap<>();
    private final Map<String, Principal> servicesBySource = new LinkedHashMap<>();
    private final Map<String, List<PolicyStatement>> identityPolicies = new LinkedHashMap<>();
    private final Map<String, List<PolicyStatement>> resourcePolicies = new LinkedHashMap<>();

    private Builder(String account, String region, AccessKey administratorKey, boolean enforced) {
      this.account = account;
      this.region = region;
      this.enforced = enforced;
      this.administrator = Principal.administrator(account, administratorKey);
    }

    /** A role with one identity policy document, as a test declares one in code. */
    public Builder role(String roleArn, String sessionName, JsonNode policyDocument) {
      return role(roleArn, sessionName, PolicyStatement.parse(policyDocument, roleArn, false));
    }

    /** A role, its identity policies, and the one session its callers sign with. */
    Builder role(String roleArn, String sessionName, List<PolicyStatement> statements) {
      if (!sessionsByRole.containsKey(roleArn)) {
        sessionsByRole.put(roleArn, Principal.roleSession(account, roleArn, sessionName, AccessKey.temporary()));
        identityPolicies.put(roleArn, List.copyOf(statements));
      }
      return this;
    }

    boolean hasRole(String roleArn) {
      return sessionsByRole.containsKey(roleArn);
    }

    /**
     * The policy document of the resource {@code ownerArn} (a queue, a topic...), as a test declares one in code
     * where a template would declare an {@code AWS::SQS::QueuePolicy} or {@code AWS::SNS::TopicPolicy}.
     */
    public Builder resourcePolicy(String ownerArn, JsonNode policyDocument) {
      return resourcePolicy(ownerArn, PolicyStatement.parse(policyDocument, ownerArn, true));
    }

    /** Statements of the policy of the resource {@code ownerArn} (a bucket, a topic, a queue, a function). */
    Builder resourcePolicy(String ownerArn, List<PolicyStatement> statements) {
      resourcePolicies.computeIfAbsent(ownerOf(ownerArn), ignored -> new ArrayList<>()).addAll(statements);
      return this;
    }

    /** A service acting for one resource of the account, with a key of its own. */
    Builder service(String service, String sourceArn) {
      servicesBySource.putIfAbsent(service + " " + sourceArn,
          Principal.service(service, sourceArn, AccessKey.temporary()));
      return this;
    }

    public LocalIam build() {
      resourcePolicies.replaceAll((owner, statements) -> List.copyOf(statements));
      return new LocalIam(this);
    }

    String account() {
      return account;
    }

    String region() {
      return region.toLowerCase(Locale.ROOT);
    }
  }
}
