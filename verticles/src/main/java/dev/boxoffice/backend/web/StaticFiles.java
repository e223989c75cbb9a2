package dev.boxoffice.backend.web;

import dev.boxoffice.codecs.ErrorBody;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.file.Path;

/**
 * Serves {@code frontend-static/}: assets cached for five minutes (their names carry no content hash, so never
 * {@code immutable}) with validators, HTML always revalidated, and any
 * unknown path without a file extension answered with {@code index.html} so the single-page app can route it.
 * Unknown paths with an extension are a real 404 (a missing script must not come back as HTML).
 */
public final class StaticFiles {

  static final long ASSET_MAX_AGE_SECONDS = 300;

  private StaticFiles() {
  }

  /** Mounts the static routes; call after every other route, {@code /api/*} included. */
  public static void mount(Router router, Path root, boolean filesMayChange) {
    StaticHandler files = StaticHandler.create(FileSystemAccess.ROOT, root.toString())
        .setCachingEnabled(true)
        .setMaxAgeSeconds(ASSET_MAX_AGE_SECONDS)
        .setFilesReadOnly(!filesMayChange)
        .setIndexPage("index.html")
        .setDirectoryListing(false)
        .setIncludeHidden(false);
    String indexPage = root.resolve("index.html").toString();

    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(StaticFiles::cacheHeaders);
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(files);
    router.route().method(HttpMethod.GET).method(HttpMethod.HEAD).handler(ctx -> {
      if (hasExtension(ctx.normalizedPath())) {
        ctx.next();
        return;
      }
      ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/html;charset=utf-8");
      ctx.response().sendFile(indexPage).onFailure(ctx::fail);
    });
    router.route().handler(ctx ->
        Errors.reply(ctx, 404, ErrorBody.of("not_found", "No such page or file: " + ctx.normalizedPath())));
  }

  /** Cache headers by kind of file; the security headers come from {@link SecurityHeaders}, on every route. */
  private static void cacheHeaders(RoutingContext ctx) {
    String path = ctx.normalizedPath();
    String cacheControl = !hasExtension(path) || path.endsWith(".html")
        ? "no-cache"
        : "public, max-age=" + ASSET_MAX_AGE_SECONDS;
    ctx.addHeadersEndHandler(done -> {
      if (ctx.response().getStatusCode() < 400) {
        ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, cacheControl).remove(HttpHeaders.EXPIRES);
      }
    });
    ctx.next();
  }

  private static boolean hasExtension(String path) {
    String lastSegment = path.substring(path.lastIndexOf('/') + 1);
    return lastSegment.contains(".");
  }
}
