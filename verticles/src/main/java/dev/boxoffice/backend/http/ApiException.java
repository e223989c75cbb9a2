package dev.boxoffice.backend.http;

import dev.boxoffice.codecs.ErrorBody;

/** A failure that becomes a deliberate HTTP answer: a status and the JSON error body. */
public final class ApiException extends RuntimeException {

  private final int status;
  private final ErrorBody body;

  public ApiException(int status, ErrorBody body) {
    super(body.message(), null, false, false);
    this.status = status;
    this.body = body;
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

  public int status() {
    return status;
  }

  public ErrorBody body() {
    return body;
  }
}
