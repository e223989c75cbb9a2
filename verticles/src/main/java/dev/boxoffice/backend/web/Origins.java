package dev.boxoffice.backend.web;

import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;

/**
 * The origin a browser used to reach this backend, for links written into files it downloads: the Host it asked
 * for (this server's address when an HTTP/1.0 client sent no Host), and the scheme the load balancer received ({@code X-Forwarded-Proto}, which the ALB and HAProxy set) or else
 * this server's own.
 */
final class Origins {

  private Origins() {
  }

  static String of(RoutingContext ctx) {
    String forwarded = ctx.request().getHeader("X-Forwarded-Proto");
    String scheme = "https".equalsIgnoreCase(forwarded) || "http".equalsIgnoreCase(forwarded)
        ? forwarded.toLowerCase(Locale.ROOT)
        : ctx.request().scheme();
    HostAndPort authority = ctx.request().authority();
    String host = authority == null ? ctx.request().localAddress().host() : authority.host();
    int port = authority == null ? ctx.request().localAddress().port() : authority.port();
    return scheme + "://" + host + (port < 0 ? "" : ":" + port);
  }
}
