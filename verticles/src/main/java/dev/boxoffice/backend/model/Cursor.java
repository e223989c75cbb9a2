package dev.boxoffice.backend.model;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page ends: the (instant, id) of its last item, the key the next page's query starts after. Clients get it
 * {@linkplain #encode() encoded} in base64url, so they can neither build nor rely on its content.
 */
public record Cursor(Instant at, UUID id) {

  public String encode() {
    String plain = at + "|" + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor a client sent back; {@link IllegalArgumentException} when it is not one {@link #encode()} made. */
  public static Cursor decode(String encoded) {
    try {
      String plain = new String(Base64.getUrlDecoder().decode(encoded), StandardCharsets.UTF_8);
      int separator = plain.indexOf('|');
      if (separator < 0) {
        throw new IllegalArgumentException("no separator");
      }
      return new Cursor(Instant.parse(plain.substring(0, separator)), UUID.fromString(plain.substring(separator + 1)));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a cursor", e);
    }
  }
}
