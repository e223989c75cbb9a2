package dev.boxoffice.local.aws.iam;

/**
 * The one question every local endpoint asks before it acts: may this principal perform this action on this resource?
 * Endpoints name the action as their service does ({@code s3:GetObject}, {@code SNS:Publish},
 * {@code states:StartExecution}) and the resource by its ARN; {@link LocalIam} answers from the templates' policies.
 */
@FunctionalInterface
public interface Authorizer {

  Decision authorize(Principal principal, String action, String resourceArn);
}
