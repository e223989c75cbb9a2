package dev.boxoffice.backend.web;

import dev.boxoffice.codecs.ErrorBody;
import dev.boxoffice.codecs.Json;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers the requests HTTP decoding refuses before any route sees them (a request line or headers over their
 * limits, a malformed request) with the API's JSON error body, where Vert.x would answer an empty one, then closes the
 * connection, whose remaining bytes cannot be read as a request.
 */
public final class InvalidRequests {

  /** Method, path, query and version; Vert.x's default, stated here because the answer names it. */
  public static final int MAX_REQUEST_LINE_BYTES = HttpServerOptions.DEFAULT_MAX_INITIAL_LINE_LENGTH;
  public static final int MAX_HEADER_BYTES = HttpServerOptions.DEFAULT_MAX_HEADER_SIZE;

  private InvalidRequests() {
  }

  /** The server options' limits these answers name. */
  public static HttpServerOptions limit(HttpServerOptions options) {
    return options.setMaxInitialLineLength(MAX_REQUEST_LINE_BYTES).setMaxHeaderSize(MAX_HEADER_BYTES);
  }

  public static void answer(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    int status;
    ErrorBody body;
    if (cause instanceof TooLongHttpLineException) {
      status = 414;
      body = ErrorBody.of("uri_too_long", "The request line (method, path and query) is over "
          + MAX_REQUEST_LINE_BYTES + " bytes");
    } else if (cause instanceof TooLongHttpHeaderException) {
      status = 431;
      body = ErrorBody.of("headers_too_large", "The request headers are over " + MAX_HEADER_BYTES + " bytes");
    } else {
      status = 400;
      body = ErrorBody.of("bad_request", "The request is malformed");
    }
    request.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(Json.write(body))
        .onComplete(written -> request.connection().close());
  }
}
