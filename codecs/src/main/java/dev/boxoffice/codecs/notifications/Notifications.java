package dev.boxoffice.codecs.notifications;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.boxoffice.codecs.Json;
import java.io.UncheckedIOException;

/**
 * The JSON form of notifications, as published to SNS and read by the mailer:
 * {@code {"type": "tickets-ready", "id": "tickets-ready:...", "to": "...", ...}}, instants in ISO-8601 UTC, absent
 * optional fields left out, unknown fields and invalid values refused.
 */
public final class Notifications {

  /** The SNS message attribute that carries {@link Notification#type()} beside the body. */
  public static final String TYPE_ATTRIBUTE = "type";

  private static final ObjectWriter WRITER = Json.mapper().copy()
      .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
      .writerFor(Notification.class);
  private static final ObjectReader READER = Json.mapper().readerFor(Notification.class);

  private Notifications() {
  }

  public static String toJson(Notification notification) {
    try {
      return WRITER.writeValueAsString(notification);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The notification of {@code json}; a {@link JsonProcessingException} when it is none (a poison message). */
  public static Notification fromJson(String json) throws JsonProcessingException {
    return READER.readValue(json);
  }
}
