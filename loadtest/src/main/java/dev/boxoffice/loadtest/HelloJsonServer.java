package dev.boxoffice.loadtest;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;

/**
 * The ceiling the benchmark compares against: the smallest Vert.x endpoint that answers JSON, one verticle per core
 * like the backend's HTTP verticles, so its rate is what this machine's HTTP stack and load generator allow.
 */
public final class HelloJsonServer extends VerticleBase {

  private static final Buffer HELLO = new JsonObject().put("message", "Hello, World!").toBuffer();

  private final int port;

  public HelloJsonServer(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer().requestHandler(request -> request.response()
        .putHeader("Content-Type", "application/json")
        .end(HELLO))
        .listen(port, "127.0.0.1");
  }

  /** Deploys one instance per core on {@code port}; returns the Vert.x to close. */
  public static Vertx deploy(int port) throws Exception {
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new HelloJsonServer(port),
            new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
        .await(30, TimeUnit.SECONDS);
    return vertx;
  }

  /** Serves until the JVM is stopped. Argument: the port. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: HelloJsonServer <port>");
      System.exit(2);
    }
    int port = Integer.parseInt(args[0]);
    deploy(port);
    System.out.println("Hello JSON is ready http=http://127.0.0.1:" + port);
  }
}
