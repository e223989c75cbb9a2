package dev.boxoffice.backend.web;

import dev.boxoffice.codecs.ErrorBody;
import java.util.Map;

/** A failure that becomes a deliberate HTTP answer: a status, the JSON error body and any headers it needs. */
public final class ApiException extends RuntimeException {

  private final int status;
  private final ErrorBody body;
  private final Map<String, String> headers;

  public ApiException(int status, ErrorBody body) {
    this(status, body, Map.of());
  }

  public ApiException(int status, ErrorBody body, Map<String, String> headers) {
    super(body.message(), null, false, false);
    this.status = status;
    this.body = body;
    this.headers = Map.copyOf(headers);
  }

  public static ApiException badRequest(String code, String message, String field) {
    return new ApiException(400, ErrorBody.forField(code, message, field));
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, ErrorBody.of("not_found", message));
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(409, ErrorBody.of(code, message));
  }

  public static ApiException unavailable(String message) {
    return new ApiException(503, ErrorBody.of("unavailable", message));
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
