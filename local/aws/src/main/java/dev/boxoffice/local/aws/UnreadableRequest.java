package dev.boxoffice.local.aws;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * Why the HTTP parser refused a request before any handler saw it: a request line or header section over the
 * server's limits, or bytes that are not HTTP. Vert.x answers those with an empty 414, 431 or 400; the local endpoints
 * answer them in their own service's error shape instead, through {@link #answer}.
 */
public enum UnreadableRequest {
  URI_TOO_LONG(414, "Request-URI Too Long", "The request line is longer than this endpoint accepts."),
  HEADERS_TOO_LARGE(431, "Request Header Fields Too Large",
      "The request header section is larger than this endpoint accepts."),
  MALFORMED(400, "Bad Request", "The request could not be parsed as HTTP.");

  private final int status;
  private final String reason;
  private final String message;

  UnreadableRequest(int status, String reason, String message) {
    this.status = status;
    this.reason = reason;
    this.message = message;
  }

  public int status() {
    return status;
  }

  /** The HTTP reason phrase, e.g. {@code Request-URI Too Long}. */
  public String reason() {
    return reason;
  }

  public String message() {
    return message;
  }

  /** The code of Boxoffice's own JSON errors, {@code {code, message}}: {@code uri_too_long} ... */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Boxoffice's own JSON error body for this refusal. */
  public String json() {
    return new JsonObject().put("code", code()).put("message", message).encode();
  }

  /** Server options that refuse a request line over {@code maxRequestLine} or headers over {@code maxHeaders}. */
  public static HttpServerOptions limitedTo(int maxRequestLine, int maxHeaders) {
    return new HttpServerOptions().setMaxInitialLineLength(maxRequestLine).setMaxHeaderSize(maxHeaders);
  }

  /** Why the request handed to an invalid-request handler could not be read. */
  public static UnreadableRequest of(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    if (cause instanceof TooLongHttpLineException) {
      return URI_TOO_LONG;
    }
    return cause instanceof TooLongHttpHeaderException ? HEADERS_TOO_LARGE : MALFORMED;
  }

  /**
   * Answers with this status and {@code body}, then closes the connection: what follows an unparsed request line or
   * header section on it cannot be read as the next request.
   */
  public void answer(HttpServerRequest request, String contentType, String body) {
    request.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, contentType)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(body)
        .onComplete(written -> request.connection().close());
  }
}
