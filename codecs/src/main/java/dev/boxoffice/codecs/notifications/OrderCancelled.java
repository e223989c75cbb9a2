package dev.boxoffice.codecs.notifications;

import java.util.Objects;
import java.util.UUID;

/**
 * Order {@link #orderId()} is cancelled, with its {@link #ticketCount()} tickets, and {@link #refundMinor()} (minor
 * units of {@link #currency()}) goes back to the buyer; {@link #eventCancelled()} says whether the organizer
 * cancelled the whole event. Published with the id {@code order-cancelled:<orderId>}.
 */
public record OrderCancelled(String id, String to, String language, UUID orderId, EventDetails event,
                             int ticketCount, long refundMinor, String currency, boolean eventCancelled)
    implements Notification {

  public static final String TYPE = "order-cancelled";

  public OrderCancelled {
    id = Checks.id(id);
    to = Checks.recipient(to);
    language = Checks.language(language);
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(event, "event");
    if (ticketCount < 1 || refundMinor < 0) {
      throw new IllegalArgumentException("a cancelled order has tickets and a refund of zero or more");
    }
    currency = Checks.currency(currency);
  }

  public static String idOf(UUID orderId) {
    return "order-cancelled:" + orderId;
  }

  @Override
  public String type() {
    return TYPE;
  }
}
