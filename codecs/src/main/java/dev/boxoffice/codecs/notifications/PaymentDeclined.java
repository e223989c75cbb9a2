package dev.boxoffice.codecs.notifications;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The card paying for hold {@link #holdId()} was declined, for the reason the payment provider gave the buyer
 * ({@link #reason()}); the hold keeps the tickets until {@link #holdExpiresAt()}, so the buyer may pay with another
 * card from the hold's page until then. The backend publishes one per decline, with the id
 * {@code payment-declined:<id of the PaymentDeclined domain event>}: two declined cards are two emails, a replay none.
 */
public record PaymentDeclined(String id, String to, String language, UUID holdId, EventDetails event, String reason,
                              Instant holdExpiresAt) implements Notification {

  public static final String TYPE = "payment-declined";

  public PaymentDeclined {
    id = Checks.id(id);
    to = Checks.recipient(to);
    language = Checks.language(language);
    Objects.requireNonNull(holdId, "holdId");
    Objects.requireNonNull(event, "event");
    reason = Checks.text(reason, "reason", 500);
    Objects.requireNonNull(holdExpiresAt, "holdExpiresAt");
  }

  public static String idOf(UUID declineEventId) {
    return "payment-declined:" + declineEventId;
  }

  @Override
  public String type() {
    return TYPE;
  }
}
