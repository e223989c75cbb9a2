package dev.boxoffice.backend.web;

import dev.boxoffice.backend.model.Cursor;
import dev.boxoffice.backend.model.PageRequest;
import dev.boxoffice.codecs.EmailAddresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.ValidatedRequest;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads the parts of a request that the OpenAPI validation already checked for shape; what JSON Schema cannot say
 * (an instant that parses, an IANA zone that exists) is checked here, as a 400 naming the field.
 */
public final class Inputs {

  private Inputs() {
  }

  public static ValidatedRequest validated(RoutingContext ctx) {
    return ctx.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
  }

  public static JsonObject body(RoutingContext ctx) {
    return validated(ctx).getBody().getJsonObject();
  }

  /** A path parameter the contract declares as a UUID (its pattern already checked). */
  public static UUID pathId(RoutingContext ctx, String name) {
    try {
      return UUID.fromString(validated(ctx).getPathParameters().get(name).getString());
    } catch (IllegalArgumentException e) {
      throw new BadInput(name, name + " must be a UUID");
    }
  }

  public static String query(RoutingContext ctx, String name) {
    var parameter = validated(ctx).getQuery().get(name);
    return parameter == null || parameter.isNull() ? null : parameter.getString();
  }

  public static int queryInt(RoutingContext ctx, String name, int fallback) {
    var parameter = validated(ctx).getQuery().get(name);
    return parameter == null || parameter.isNull() ? fallback : parameter.getInteger();
  }

  /** The page a list request asks for: after its {@code cursor}, at most its {@code limit} (20 by default) items. */
  public static PageRequest page(RoutingContext ctx) {
    String cursor = query(ctx, "cursor");
    return new PageRequest(cursor == null ? Optional.empty() : Optional.of(cursor(cursor)),
        queryInt(ctx, "limit", 20));
  }

  /** Anything that is not a cursor this API gave out is a 400 on {@code cursor}. */
  private static Cursor cursor(String encoded) {
    try {
      return Cursor.decode(encoded);
    } catch (IllegalArgumentException e) {
      throw new BadInput("cursor", "The cursor is not one this API gave out");
    }
  }

  /** What JSON Schema cannot say about two instants: the second comes after the first. */
  public static void requireAfter(Instant start, Instant end, String endField) {
    if (!end.isAfter(start)) {
      throw new BadInput(endField, endField + " must be after the start");
    }
  }

  public static Instant instant(String value, String field) {
    if (value == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new BadInput(field, field + " must be an ISO 8601 instant with an offset, like 2027-05-01T18:00:00Z");
    }
  }

  /** An email address in its normal form, or a 400 naming {@code field}. */
  public static String email(String value, String field) {
    try {
      return EmailAddresses.normalize(value);
    } catch (IllegalArgumentException e) {
      throw new BadInput(field, field + " must be an email address of at most " + EmailAddresses.MAX_LENGTH
          + " characters");
    }
  }

  public static String timeZone(String value, String field) {
    if (value == null) {
      return null;
    }
    try {
      return ZoneId.of(value).getId();
    } catch (DateTimeException e) {
      throw new BadInput(field, field + " must be an IANA time zone like Europe/Paris");
    }
  }
}
