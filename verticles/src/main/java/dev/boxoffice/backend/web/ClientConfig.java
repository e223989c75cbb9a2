package dev.boxoffice.backend.web;

import dev.boxoffice.backend.config.Config;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * {@code GET /api/client-config}: where the browser finds the serverless routes and the event images, and which mode
 * it talks to.
 */
final class ClientConfig {

  private ClientConfig() {
  }

  static Handler<RoutingContext> handler(Config config) {
    String body = new JsonObject()
        .put("serverlessApiUrl", config.serverless().apiUrl().orElse(null))
        .put("imageBaseUrl", config.serverless().imageBaseUrl().orElse(null))
        .put("mode", config.mode().name().toLowerCase(Locale.ROOT))
        .encode();
    return ctx -> Replies.json(ctx, 200, body);
  }
}
