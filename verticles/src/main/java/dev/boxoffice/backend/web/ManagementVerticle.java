package dev.boxoffice.backend.web;

import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.health.Readiness;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.ext.web.Router;

/**
 * The management port: {@code /metrics} and the detailed readiness report, on a server of its own that no load
 * balancer routes to (in ECS bound to loopback, where the metrics collector beside the container scrapes it).
 */
public final class ManagementVerticle extends VerticleBase {

  private final Config.Management settings;
  private final Readiness readiness;
  private final String metricsRegistry;

  public ManagementVerticle(Config.Management settings, Readiness readiness, String metricsRegistry) {
    this.settings = settings;
    this.readiness = readiness;
    this.metricsRegistry = metricsRegistry;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    new HealthRoutes(readiness).mountDetailed(router, metricsRegistry);
    Errors.install(router);
    return vertx.createHttpServer().requestHandler(router).listen(settings.port(), settings.host());
  }
}
