package dev.boxoffice.local.aws.cloudformation;

/**
 * An {@code AWS::Lambda::EventSourceMapping} of an SQS queue with its intrinsics resolved, and Lambda's defaults
 * where the template says nothing: batch size 10, no batching window, the whole batch retried on a failure unless
 * {@code ReportBatchItemFailures} is on.
 *
 * @param functionName the function's name (its ARN reduced to the name)
 * @param maximumConcurrency {@code ScalingConfig.MaximumConcurrency}, or 0 when unset
 */
public record EventSourceMappingDefinition(String logicalId, String queueArn, String functionName, int batchSize,
                                           int batchingWindowSeconds, boolean reportBatchItemFailures,
                                           int maximumConcurrency, boolean enabled) {
}
