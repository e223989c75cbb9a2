package dev.boxoffice.backend.web;

import dev.boxoffice.backend.config.Config;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The headers every answer carries, pages, files and API alike: a Content-Security-Policy naming the exact origins the
 * pages use (this one, the API Gateway routes, the event images, the QR codes' bucket) and refusing to be framed,
 * {@code nosniff}, a referrer policy that sends other sites the origin only, and in aws mode HSTS. Never HSTS in local
 * mode: a browser would then refuse the loopback's plain HTTP for a year for every port of 127.0.0.1.
 */
final class SecurityHeaders {

  static final String HSTS = "max-age=31536000; includeSubDomains";

  private SecurityHeaders() {
  }

  static Handler<RoutingContext> handler(Config config) {
    String policy = contentSecurityPolicy(config);
    boolean strictTransport = config.mode() == Config.Mode.AWS;
    return ctx -> {
      MultiMap headers = ctx.response().headers();
      headers.set("Content-Security-Policy", policy)
          .set("X-Content-Type-Options", "nosniff")
          .set("Referrer-Policy", "strict-origin-when-cross-origin");
      if (strictTransport) {
        headers.set("Strict-Transport-Security", HSTS);
      }
      ctx.next();
    };
  }

  static String contentSecurityPolicy(Config config) {
    Config.Serverless serverless = config.serverless();
    Set<String> images = new LinkedHashSet<>(Set.of("'self'"));
    images.add("data:");
    images.add("blob:");
    origin(serverless.imageBaseUrl()).ifPresent(images::add);
    origin(serverless.qrCodeOrigin()).ifPresent(images::add);
    Set<String> connect = new LinkedHashSet<>(Set.of("'self'"));
    origin(serverless.apiUrl()).ifPresent(connect::add);
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src " + String.join(" ", images)
        + "; media-src 'self' blob:; connect-src " + String.join(" ", connect) + "; font-src 'self'; object-src 'none';"
        + " base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
  }

  /** {@code scheme://host[:port]} of an http(s) URL, as a CSP source names it. */
  private static Optional<String> origin(Optional<String> url) {
    return url.map(URI::create).map(uri -> uri.getScheme() + "://" + uri.getHost()
        + (uri.getPort() == -1 ? "" : ":" + uri.getPort()));
  }
}
