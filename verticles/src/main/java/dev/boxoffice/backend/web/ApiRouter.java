package dev.boxoffice.backend.web;

import dev.boxoffice.codecs.ErrorBody;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.InputTrustHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ValidatorException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the {@code /api} router from {@code openapi.yaml}: every request is validated against the document before
 * its handler runs (on its event loop, by {@link PrecompiledRequestValidator}), operations with a security
 * requirement get the session check first, and every operation of the document must have a handler (and every
 * handler an operation), or the router is not built.
 */
public final class ApiRouter {

  /** The contract on the classpath; also served as-is at {@code GET /api/openapi.yaml}. */
  public static final String CONTRACT = "openapi.yaml";
  public static final long MAX_BODY_BYTES = 64 * 1024;
  /** The page of {@code GET /api/docs}, in the static folder beside the vendored renderer it loads. */
  static final String DOCS_PAGE = "api-docs.html";

  private ApiRouter() {
  }

  /**
   * Mounts the API under {@code /api} of {@code parent}: the body read (at most 64 KiB, else 413), the session check
   * for operations that declare a security requirement (before validation, so an anonymous caller learns nothing
   * about the input rules), then the validating router.
   *
   * @param operations   the handlers of every operationId of the contract
   * @param authenticate the session check
   */
  public static Future<Void> mount(Vertx vertx, Router parent, ApiOperations operations,
                                   AuthenticationHandler authenticate) {
    return vertx.fileSystem().readFile(CONTRACT).compose(document -> OpenAPIContract.from(vertx, CONTRACT)
        .map(contract -> {
          Router api = build(vertx, contract, operations.handlers(document), authenticate);
          parent.route("/api/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
          parent.route("/api/*").subRouter(api);
          return null;
        }));
  }

  /**
   * The operations' routes, each: the session check when the operation declares a security requirement, validation,
   * the operation's handlers. The session check is a handler of the operation's own route, not a route of the parent
   * in front of it: every route a request passes is matched against its path (a regular expression for a path with
   * parameters), and one route per secured operation there doubled the matching every request paid.
   */
  private static Router build(Vertx vertx, OpenAPIContract contract,
                              Map<String, List<Handler<RoutingContext>>> handlers,
                              AuthenticationHandler authenticate) {
    Set<String> documented = new TreeSet<>(contract.operations().stream().map(Operation::getOperationId).toList());
    if (!documented.equals(new TreeSet<>(handlers.keySet()))) {
      throw new IllegalStateException("openapi.yaml operations " + documented + " and handlers "
          + new TreeSet<>(handlers.keySet()) + " differ");
    }
    RequestExtractor extractor = RequestExtractor.withBodyHandler();
    RequestValidator validator = new PrecompiledRequestValidator(vertx, contract);
    RouterBuilder builder = RouterBuilder.create(vertx, contract, extractor);
    for (OpenAPIRoute route : builder.getRoutes()) {
      route.setDoSecurity(false);
      // The builder's own validation would build a schema validator per parameter per request on a worker thread.
      route.setDoValidation(false);
      if (!route.getOperation().getSecurityRequirements().isEmpty()) {
        route.addHandler(authenticate);
      }
      route.addHandler(validating(route.getOperation(), extractor, validator));
      handlers.get(route.getOperation().getOperationId()).forEach(route::addHandler);
      route.addFailureHandler(ApiFailures::handle);
    }
    Router router = builder.createRouter();
    Errors.install(router);
    return router;
  }

  /** As the builder's validation handler does: 400 with the validation failure, or the request validated. */
  private static InputTrustHandler validating(Operation operation, RequestExtractor extractor,
                                              RequestValidator validator) {
    return ctx -> extractor.extractValidatableRequest(ctx, operation)
        .compose(request -> validator.validate(request, operation.getOperationId()))
        .onSuccess(validated -> {
          ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
          ctx.next();
        })
        .onFailure(failure -> ctx.fail(failure instanceof ValidatorException
            ? new HttpException(400, failure.getMessage(), failure)
            : failure));
  }

  /** {@code GET /api/openapi.yaml}: the document this router validates with. */
  static Handler<RoutingContext> serveDocument(Buffer document) {
    return ctx -> ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
        .end(document);
  }

  /** {@code GET /api/docs}: the frontend's page that renders the document with the vendored Swagger UI. */
  static Handler<RoutingContext> serveDocsPage(Path staticDir) {
    String page = staticDir.resolve(DOCS_PAGE).toString();
    return ctx -> {
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader("Referrer-Policy", "strict-origin-when-cross-origin");
      ctx.response().sendFile(page).onFailure(missing -> Errors.reply(ctx, 404,
          ErrorBody.of("not_found", "This backend's static folder has no " + DOCS_PAGE)));
    };
  }
}
