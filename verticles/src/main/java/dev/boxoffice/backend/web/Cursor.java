package dev.boxoffice.backend.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/**
 * An opaque page cursor: the (instant, id) of the last item of a page, in base64url, so clients cannot build or
 * rely on its content.
 */
public record Cursor(Instant at, UUID id) {

  public String encode() {
    String plain = at + "|" + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor a client sent back; anything that is not one of ours is a 400 on {@code cursor}. */
  public static Cursor decode(String encoded) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
      int separator = plain.indexOf('|');
      if (separator < 0) {
        throw invalid();
      }
      return new Cursor(Instant.parse(plain.substring(0, separator)), UUID.fromString(plain.substring(separator + 1)));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw invalid();
    }
  }

  private static ApiException invalid() {
    return ApiException.badRequest("invalid_request", "The cursor is not one this API gave out", "cursor");
  }
}
