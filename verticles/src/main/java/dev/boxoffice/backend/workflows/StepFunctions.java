package dev.boxoffice.backend.workflows;

import dev.boxoffice.backend.config.Config;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.SfnClientBuilder;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * The AWS SDK's blocking {@link SfnClient}, called only on a small worker pool of its own, so at most
 * {@link #MAX_CONCURRENT_CALLS} calls are in flight and no event loop ever waits on Step Functions.
 */
public final class StepFunctions implements AutoCloseable {

  public static final int MAX_CONCURRENT_CALLS = 4;

  private static final Logger LOG = LoggerFactory.getLogger(StepFunctions.class);

  private final SfnClient client;
  private final WorkerExecutor workers;

  private StepFunctions(SfnClient client, WorkerExecutor workers) {
    this.client = client;
    this.workers = workers;
  }

  /**
   * A client for {@code settings} signing with {@code credentials}: in AWS the SDK's default chain (the ECS task
   * role), locally whatever the local stack hands the backend; with {@code BOXOFFICE_SFN_ENDPOINT} it talks to that
   * endpoint rather than AWS's.
   */
  public static StepFunctions create(Vertx vertx, Config.Serverless settings, AwsCredentialsProvider credentials) {
    SfnClientBuilder builder = SfnClient.builder()
        .region(Region.of(settings.region()))
        .credentialsProvider(credentials)
        .httpClient(UrlConnectionHttpClient.create());
    settings.sfnEndpoint().ifPresent(builder::endpointOverride);
    return new StepFunctions(builder.build(),
        vertx.createSharedWorkerExecutor("boxoffice-stepfunctions", MAX_CONCURRENT_CALLS));
  }

  /**
   * Starts an execution named {@code name} and completes with its ARN. Step Functions answers a second start with
   * the same name and input with the first execution; with the same name and another input it refuses, which here
   * means the execution was started already (its ARN follows from the machine's and the name). {@code traceHeader}
   * (an X-Ray trace header, null: none) is StartExecution's: the execution and the Lambdas it invokes continue that
   * trace.
   */
  public Future<String> start(String stateMachineArn, String name, String input, String traceHeader) {
    return workers.executeBlocking(() -> {
      try {
        return client.startExecution(request -> request.stateMachineArn(stateMachineArn).name(name).input(input)
                .traceHeader(traceHeader))
            .executionArn();
      } catch (ExecutionAlreadyExistsException e) {
        LOG.debug("execution {} of {} exists already with another input; treated as started", name,
            stateMachineArn);
        return executionArn(stateMachineArn, name);
      }
    }, false);
  }

  public Future<DescribeExecutionResponse> describe(String executionArn) {
    return workers.executeBlocking(() -> client.describeExecution(request -> request.executionArn(executionArn)),
        false);
  }

  /** Whether Step Functions refused the request as such, so that asking again cannot help. */
  static boolean refusedForGood(Throwable failure) {
    return failure instanceof SdkServiceException service && !service.isThrottlingException()
        && service.statusCode() < 500;
  }

  /** AWS's ARN of execution {@code name} of a standard state machine. */
  static String executionArn(String stateMachineArn, String name) {
    return stateMachineArn.replaceFirst(":stateMachine:", ":execution:") + ":" + name;
  }

  @Override
  public void close() {
    workers.close();
    client.close();
  }
}
