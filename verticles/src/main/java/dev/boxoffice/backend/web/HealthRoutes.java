package dev.boxoffice.backend.web;

import dev.boxoffice.backend.health.Readiness;
import dev.boxoffice.codecs.ErrorBody;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;

/**
 * Liveness, readiness and metrics. On a management port of their own ({@link ManagementVerticle}) the readiness
 * report is detailed and {@code /metrics} is served; the public port then answers readiness with its status alone, all
 * the load balancer needs, so which dependency is down is no one else's to read.
 */
final class HealthRoutes {

  private final Readiness readiness;

  HealthRoutes(Readiness readiness) {
    this.readiness = readiness;
  }

  /** Liveness, the detailed readiness report and the Prometheus metrics of {@code metricsRegistry}. */
  void mountDetailed(Router router, String metricsRegistry) {
    router.get("/health/live").handler(HealthRoutes::live);
    router.get("/health/ready").handler(this::detailedReadiness);
    router.get("/metrics").handler(PrometheusScrapingHandler.create(metricsRegistry));
  }

  /**
   * Liveness and the readiness status, for the public port when a management port serves the rest; {@code /metrics}
   * answers 404 here rather than reaching the single-page app's fallback.
   */
  void mountStatusOnly(Router router) {
    router.get("/health/live").handler(HealthRoutes::live);
    router.get("/health/ready").handler(this::readinessStatus);
    router.route("/metrics").handler(ctx -> Errors.reply(ctx, 404, ErrorBody.of("not_found", "No such resource")));
  }

  private static void live(RoutingContext ctx) {
    json(ctx, 200, new JsonObject().put("status", "UP"));
  }

  private void detailedReadiness(RoutingContext ctx) {
    readiness.check()
        .onSuccess(report -> json(ctx, statusCode(report), report))
        .onFailure(ctx::fail);
  }

  private void readinessStatus(RoutingContext ctx) {
    readiness.check()
        .onSuccess(report -> json(ctx, statusCode(report), new JsonObject().put("status", report.getString("status"))))
        .onFailure(ctx::fail);
  }

  private static int statusCode(JsonObject report) {
    return "UP".equals(report.getString("status")) ? 200 : 503;
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.encode());
  }
}
