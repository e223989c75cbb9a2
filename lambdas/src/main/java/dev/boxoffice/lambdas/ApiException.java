package dev.boxoffice.lambdas;

import dev.boxoffice.codecs.ErrorBody;
import java.util.Map;

/** A request answered with a 4xx (or a 502 for a failing neighbour service): the status and the error body to send. */
public final class ApiException extends RuntimeException {

  private final int status;
  private final ErrorBody body;
  private final Map<String, String> headers;

  public ApiException(int status, ErrorBody body) {
    this(status, body, Map.of());
  }

  /** An answer with headers of its own, such as {@code Retry-After} on a 429. */
  public ApiException(int status, ErrorBody body, Map<String, String> headers) {
    super(body.code() + ": " + body.message(), null, false, false);
    this.status = status;
    this.body = body;
    this.headers = Map.copyOf(headers);
  }

  public static ApiException badRequest(String code, String message, String field) {
    return new ApiException(400, new ErrorBody(code, message, field));
  }

  public static ApiException invalidField(String field, String message) {
    return badRequest("invalid_field", message, field);
  }

  public static ApiException unauthorized(String message) {
    return unauthorized("unauthorized", message);
  }

  public static ApiException unauthorized(String code, String message) {
    return new ApiException(401, ErrorBody.of(code, message));
  }

  public static ApiException forbidden(String message) {
    return new ApiException(403, ErrorBody.of("forbidden", message));
  }

  public static ApiException notFound(String code, String message) {
    return new ApiException(404, ErrorBody.of(code, message));
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(409, ErrorBody.of(code, message));
  }

  /** What existed and is gone for good, told only to whom it belonged. */
  public static ApiException gone(String code, String message) {
    return new ApiException(410, ErrorBody.of(code, message));
  }

  public static ApiException payloadTooLarge(String message) {
    return new ApiException(413, ErrorBody.of("payload_too_large", message));
  }

  public static ApiException unsupportedMediaType(String message) {
    return new ApiException(415, ErrorBody.of("unsupported_media_type", message));
  }

  public static ApiException tooManyRequests(String code, String message) {
    return new ApiException(429, ErrorBody.of(code, message));
  }

  public static ApiException upstream(String message) {
    return new ApiException(502, ErrorBody.of("upstream_unavailable", message));
  }

  public int status() {
    return status;
  }

  public ErrorBody body() {
    return body;
  }

  public Map<String, String> headers() {
    return headers;
  }
}
