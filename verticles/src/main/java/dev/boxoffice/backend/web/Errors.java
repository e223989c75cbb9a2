package dev.boxoffice.backend.web;

import static net.logstash.logback.argument.StructuredArguments.keyValue;

import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.codecs.ErrorBody;
import dev.boxoffice.codecs.Json;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every failure into a JSON error body; only unexpected ones are logged, once, with the request's id (a
 * {@code requestId} field of the JSON log line), and none shows a trace.
 */
public final class Errors {

  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);
  static final String TRACE_ID_HEADER = "X-Amzn-Trace-Id";

  private Errors() {
  }

  public static void install(Router router) {
    router.errorHandler(400, ctx -> reply(ctx, 400, ErrorBody.of("bad_request", "The request is malformed")));
    router.errorHandler(404, ctx -> reply(ctx, 404, ErrorBody.of("not_found", "No such resource")));
    router.errorHandler(405, ctx -> reply(ctx, 405, ErrorBody.of("method_not_allowed", "Method not allowed here")));
    router.errorHandler(413, ctx -> reply(ctx, 413, ErrorBody.of("payload_too_large", "The request body is too large")));
    router.errorHandler(415, ctx -> reply(ctx, 415, ErrorBody.of("unsupported_media_type", "Send application/json")));
    router.errorHandler(500, Errors::unexpected);
  }

  public static void reply(RoutingContext ctx, int status, ErrorBody body) {
    HttpServerResponse response = ctx.response();
    if (response.headWritten()) {
      response.reset();
      return;
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(Json.write(body));
  }

  /**
   * Logs the failure once and answers 500 with no detail; deliberate failures are {@link Refusal}s and
   * {@link BadInput}s.
   */
  public static void unexpected(RoutingContext ctx) {
    if (ctx.failure() instanceof Refusal refusal) {
      Refusals.reply(ctx, refusal);
      return;
    }
    if (ctx.failure() instanceof BadInput bad) {
      reply(ctx, 400, bad.body());
      return;
    }
    LOG.error("unexpected failure on {} {} {}", ctx.request().method(), ctx.request().path(),
        keyValue("requestId", requestId(ctx)), ctx.failure());
    reply(ctx, 500, ErrorBody.of("internal", "Something went wrong on our side"));
  }

  /**
   * The id that ties a log line to the request: the trace id the ALB adds ({@code X-Amzn-Trace-Id}, also in its access
   * log), else a fresh one, so lines without a balancer in front can still be told apart.
   */
  static String requestId(RoutingContext ctx) {
    String traceId = ctx.request().getHeader(TRACE_ID_HEADER);
    return traceId != null && !traceId.isBlank() ? traceId : UUID.randomUUID().toString();
  }
}
