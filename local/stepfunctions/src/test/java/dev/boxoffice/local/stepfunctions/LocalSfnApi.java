package dev.boxoffice.local.stepfunctions;

import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

/**
 * The local Step Functions engine behind its HTTP API on a loopback port, with an SDK client of it: what the API
 * tests start once per class and close after it.
 */
record LocalSfnApi(Vertx vertx, StepFunctionsEngine engine, int port, SfnClient sfn) implements AutoCloseable {

  static LocalSfnApi start(StepFunctionsConfig config, LambdaInvoker lambdas) {
    Vertx vertx = Vertx.vertx();
    StepFunctionsEngine engine = new StepFunctionsEngine(vertx, config, lambdas);
    StepFunctionsApiVerticle api = new StepFunctionsApiVerticle(engine);
    vertx.deployVerticle(api).await();
    return new LocalSfnApi(vertx, engine, api.actualPort(), LocalSfnClients.at(api.actualPort()).build());
  }

  /** The execution once it has ended, or as it stands after 10 s. */
  DescribeExecutionResponse awaitEnd(String executionArn) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    DescribeExecutionResponse execution = sfn.describeExecution(r -> r.executionArn(executionArn));
    while (execution.status() == ExecutionStatus.RUNNING && System.nanoTime() < deadline) {
      Thread.sleep(10);
      execution = sfn.describeExecution(r -> r.executionArn(executionArn));
    }
    return execution;
  }

  @Override
  public void close() {
    sfn.close();
    engine.close();
    vertx.close().await();
  }
}
