package dev.boxoffice.backend.web;

import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.codecs.ErrorBody;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;

/**
 * The API's failure handler: domain refusals and deliberate answers as they say, validation failures as 400 naming the
 * field, the rest as 500.
 */
final class ApiFailures {

  private ApiFailures() {
  }

  static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof Refusal refusal) {
      Refusals.reply(ctx, refusal);
    } else if (failure instanceof BadInput bad) {
      Errors.reply(ctx, 400, bad.body());
    } else if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException invalid) {
      invalid(ctx, invalid);
    } else if (failure instanceof ValidatorException invalid) {
      invalid(ctx, invalid);
    } else if (failure == null && ctx.statusCode() == 413) {
      Errors.reply(ctx, 413, ErrorBody.of("payload_too_large", "The request body is over 64 KiB"));
    } else if (failure instanceof HttpException http && http.getStatusCode() < 500) {
      Errors.reply(ctx, http.getStatusCode(), ErrorBody.of("bad_request", "The request is malformed"));
    } else if (failure == null && ctx.statusCode() < 500 && ctx.statusCode() >= 400) {
      Errors.reply(ctx, ctx.statusCode(), ErrorBody.of("bad_request", "The request is malformed"));
    } else {
      Errors.unexpected(ctx);
    }
  }

  private static void invalid(RoutingContext ctx, ValidatorException invalid) {
    if (ValidationFailures.isUnsupportedMediaType(invalid)) {
      Errors.reply(ctx, 415, ErrorBody.of("unsupported_media_type", "Send the body as application/json"));
    } else {
      Errors.reply(ctx, 400, ValidationFailures.toErrorBody(invalid));
    }
  }
}
