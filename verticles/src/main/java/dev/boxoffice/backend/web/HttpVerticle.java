package dev.boxoffice.backend.web;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.health.Readiness;
import dev.boxoffice.codecs.ErrorBody;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;

/**
 * The backend's HTTP face: health checks for the ALB, the JSON API and the static frontend, and the metrics unless a
 * management port ({@link ManagementVerticle}) serves them.
 */
public final class HttpVerticle extends VerticleBase {

  /** How long a stopping backend lets its requests in flight finish; ECS's stop timeout (30 s) must exceed it. */
  private static final long SHUTDOWN_GRACE_SECONDS = 10;
  /**
   * Longer than the load balancer's idle timeout (the ALB's default, 60 s), so that the balancer, never the backend,
   * closes an idle keep-alive connection: a backend closing it first races the balancer's next request on it, which
   * the ALB answers 502.
   */
  private static final int IDLE_TIMEOUT_SECONDS = 75;

  private final Config config;
  private final Readiness readiness;
  private final String metricsRegistry;
  private final ApiOperations apiOperations;
  private final Sessions sessions;
  private HttpServer server;

  public HttpVerticle(Config config, Readiness readiness, String metricsRegistry, ApiOperations apiOperations,
                      Sessions sessions) {
    this.config = config;
    this.readiness = readiness;
    this.metricsRegistry = metricsRegistry;
    this.apiOperations = apiOperations;
    this.sessions = sessions;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(SecurityHeaders.handler(config));
    HealthRoutes health = new HealthRoutes(readiness);
    if (config.management().isPresent()) {
      health.mountStatusOnly(router);
    } else {
      health.mountDetailed(router, metricsRegistry);
    }
    return ApiRouter.mount(vertx, router, apiOperations, sessions.authenticate()).compose(mounted -> {
      router.route("/api/*").handler(HttpVerticle::unknownApiRoute);
      StaticFiles.mount(router, config.staticDir(), config.mode() == Config.Mode.LOCAL);
      Errors.install(router);
      return listen(router);
    });
  }

  private Future<HttpServer> listen(Router router) {
    HttpServerOptions options = InvalidRequests.limit(new HttpServerOptions())
        .setHost(config.httpHost())
        .setPort(config.httpPort())
        .setCompressionSupported(true)
        .setTcpNoDelay(true)
        .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
        .setIdleTimeoutUnit(TimeUnit.SECONDS)
        // Every request is a span: of the caller's trace (the ALB's X-Amzn-Trace-Id), or of a trace it starts.
        .setTracingPolicy(TracingPolicy.ALWAYS);
    server = vertx.createHttpServer(options).requestHandler(router).invalidRequestHandler(InvalidRequests::answer);
    return server.listen();
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS);
  }

  private static void unknownApiRoute(RoutingContext ctx) {
    Errors.reply(ctx, 404, ErrorBody.of("not_found", "No API route " + ctx.request().method() + " "
        + ctx.normalizedPath()));
  }

}
