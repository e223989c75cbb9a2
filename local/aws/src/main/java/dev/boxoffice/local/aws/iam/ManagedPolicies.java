package dev.boxoffice.local.aws.iam;

import java.util.List;
import java.util.Map;

/**
 * The AWS managed policies a template may attach, with the statements that matter locally. Only these are known: a
 * template attaching another fails at start-up, naming it, rather than being half-checked.
 */
final class ManagedPolicies {

  /**
   * AWSLambdaBasicExecutionRole lets a function write its CloudWatch logs. Locally a function's logs go to the stack's
   * log, not through an AWS call, so nothing is ever checked against it; it is listed so that attaching it is allowed.
   */
  private static final Map<String, List<PolicyStatement>> KNOWN = Map.of(
      "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole", List.of(PolicyStatement.allow(
          List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"), List.of("*"))),
      "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess", List.of(PolicyStatement.allow(
          List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
              "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"), List.of("*"))));

  private ManagedPolicies() {
  }

  static List<PolicyStatement> statementsOf(String policyArn, String where) {
    List<PolicyStatement> statements = KNOWN.get(policyArn);
    if (statements == null) {
      throw new IllegalArgumentException(where + " attaches the managed policy " + policyArn + ", which the local "
          + "IAM does not know (it knows " + String.join(", ", KNOWN.keySet().stream().sorted().toList()) + ")");
    }
    return statements;
  }
}
