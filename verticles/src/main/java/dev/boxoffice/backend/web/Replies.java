package dev.boxoffice.backend.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON answers; API answers are personal or change with every sale, so none is cached by browsers. */
public final class Replies {

  private Replies() {
  }

  public static void json(RoutingContext ctx, int status, JsonObject body) {
    json(ctx, status, body.encode());
  }

  public static void json(RoutingContext ctx, int status, String encodedBody) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(encodedBody);
  }
}
