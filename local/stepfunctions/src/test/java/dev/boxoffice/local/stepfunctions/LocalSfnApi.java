package dev.boxoffice.local.stepfunctions;

import io.vertx.core.Vertx;
import software.amazon.awssdk.services.sfn.SfnClient;

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

  @Override
  public void close() {
    sfn.close();
    engine.close();
    vertx.close().await();
  }
}
