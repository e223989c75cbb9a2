package dev.boxoffice.backend.web;

import dev.boxoffice.codecs.ErrorBody;

/**
 * Input that passed the OpenAPI validation's shape checks but still does not parse (an instant, a time zone, a
 * cursor): answered 400 {@code invalid_request} naming the field, before any domain call.
 */
final class BadInput extends RuntimeException {

  private final ErrorBody body;

  BadInput(String field, String message) {
    super(message, null, false, false);
    this.body = ErrorBody.forField("invalid_request", message, field);
  }

  ErrorBody body() {
    return body;
  }
}
