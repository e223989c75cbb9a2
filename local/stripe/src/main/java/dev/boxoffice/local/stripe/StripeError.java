package dev.boxoffice.local.stripe;

import io.vertx.core.json.JsonObject;

/**
 * A refusal as Stripe's API answers it: the HTTP status and {@code {"error": {"type", "code", "message", "param",
 * "decline_code", "doc_url"}}}, the fields that apply.
 */
final class StripeError extends RuntimeException {

  private final int status;
  private final JsonObject error;

  StripeError(int status, String type, String code, String message, String param) {
    super(message, null, false, false);
    this.status = status;
    this.error = new JsonObject().put("type", type).put("message", message);
    if (code != null) {
      error.put("code", code).put("doc_url", "https://stripe.com/docs/error-codes/" + code.replace('_', '-'));
    }
    if (param != null) {
      error.put("param", param);
    }
  }

  static StripeError missing(String param) {
    return new StripeError(400, "invalid_request_error", "parameter_missing", "Missing required param: " + param + ".",
        param);
  }

  static StripeError invalid(String param, String message) {
    return new StripeError(400, "invalid_request_error", "parameter_invalid", message, param);
  }

  static StripeError noSuch(String kind, String id, String param) {
    return new StripeError(404, "invalid_request_error", "resource_missing", "No such " + kind + ": '" + id + "'",
        param);
  }

  int status() {
    return status;
  }

  JsonObject body() {
    return new JsonObject().put("error", error.copy());
  }
}
