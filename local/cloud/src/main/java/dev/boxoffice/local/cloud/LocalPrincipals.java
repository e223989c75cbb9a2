package dev.boxoffice.local.cloud;

import dev.boxoffice.local.aws.cloudformation.CloudFormationTemplate;
import dev.boxoffice.local.aws.cloudformation.FunctionDefinition;
import dev.boxoffice.local.aws.iam.TemplateIam;
import java.util.NoSuchElementException;

/**
 * The credentials of every principal of the local account, each signing as its role in the templates: the
 * administrator, the backend's ECS task role, each function's execution role, each state machine's role, and
 * CloudFront reading the media bucket.
 */
public final class LocalPrincipals {

  private final CloudFormationTemplate template;
  private final TemplateIam iam;

  LocalPrincipals(CloudFormationTemplate template, TemplateIam iam) {
    this.template = template;
    this.iam = iam;
  }

  public LocalPrincipal admin() {
    return LocalPrincipal.admin();
  }

  /** The backend's ECS task role of {@code compute.yaml}, handed to the backend as ECS would. */
  public LocalPrincipal backendTask() {
    return LocalPrincipal.of("backend-task", iam.backendTask().orElseThrow(() -> new NoSuchElementException(
        "no compute stack beside " + template.file() + " gives the backend a task role")));
  }

  /** The execution role of the function of logical id {@code functionLogicalId}, e.g. CreateTicketFunction. */
  public LocalPrincipal function(String functionLogicalId) {
    FunctionDefinition function = template.functionsByName().values().stream()
        .filter(candidate -> candidate.logicalId().equals(functionLogicalId)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no Lambda function " + functionLogicalId + " in "
            + template.file()));
    if (function.roleArn() == null) {
      throw new NoSuchElementException("the function " + functionLogicalId + " names no role of " + template.file());
    }
    return LocalPrincipal.of("function/" + functionLogicalId, iam.iam().session(function.roleArn()));
  }

  /** The role of the state machine of logical id {@code stateMachineLogicalId}, e.g. TicketIssuanceStateMachine. */
  public LocalPrincipal stateMachine(String stateMachineLogicalId) {
    String roleArn = template.resolvedProperties(stateMachineLogicalId, "RoleArn").path("RoleArn").asText();
    return LocalPrincipal.of("state-machine/" + stateMachineLogicalId, iam.iam().session(roleArn));
  }

  /** CloudFront acting for the template's distribution, as it reads event images from the media bucket. */
  public LocalPrincipal cloudFront() {
    return LocalPrincipal.of("cloudfront", iam.cloudFront().orElseThrow(() -> new NoSuchElementException(
        "no CloudFront distribution in " + template.file())));
  }
}
