package dev.boxoffice.codecs.notifications;

import java.util.Objects;
import java.util.UUID;

/**
 * Hold {@link #holdId()} of {@link #quantity()} tickets ran out unpaid and its tickets went back on sale; the buyer
 * may hold them again from the event's page while any are left. The backend publishes it with the id
 * {@code hold-expired:<holdId>}.
 */
public record HoldExpired(String id, String to, String language, UUID holdId, EventDetails event, int quantity)
    implements Notification {

  public static final String TYPE = "hold-expired";

  public HoldExpired {
    id = Checks.id(id);
    to = Checks.recipient(to);
    language = Checks.language(language);
    Objects.requireNonNull(holdId, "holdId");
    Objects.requireNonNull(event, "event");
    if (quantity < 1) {
      throw new IllegalArgumentException("an expired hold held at least one ticket");
    }
  }

  public static String idOf(UUID holdId) {
    return "hold-expired:" + holdId;
  }

  @Override
  public String type() {
    return TYPE;
  }
}
