package dev.boxoffice.codecs.notifications;

import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Refund {@link #refundId()} of {@link #amountMinor()} (minor units of {@link #currency()}) for {@link #tickets()}
 * tickets went back to the buyer's card. {@link #reason()} is the domain's: order_cancelled, event_cancelled,
 * ticket_cancelled, payment_too_late, amount_mismatch or over_buyer_limit; {@link #orderId()} is null when the
 * payment never became an order (a late or mismatched payment). The backend publishes it with the id
 * {@code payment-refunded:<refundId>}.
 */
public record PaymentRefunded(String id, String to, String language, UUID refundId, UUID orderId, EventDetails event,
                              int tickets, long amountMinor, String currency, String reason)
    implements Notification {

  public static final String TYPE = "payment-refunded";

  /** The reasons a refund is made, as the backend names them. */
  public static final Set<String> REASONS = Set.of("order_cancelled", "event_cancelled", "ticket_cancelled",
      "payment_too_late", "amount_mismatch", "over_buyer_limit");

  public PaymentRefunded {
    id = Checks.id(id);
    to = Checks.recipient(to);
    language = Checks.language(language);
    Objects.requireNonNull(refundId, "refundId");
    Objects.requireNonNull(event, "event");
    if (tickets < 0 || amountMinor < 1) {
      throw new IllegalArgumentException("a refund gives back a positive amount for zero or more tickets");
    }
    currency = Checks.currency(currency);
    if (!REASONS.contains(reason)) {
      throw new IllegalArgumentException("reason must be one of " + REASONS);
    }
  }

  public static String idOf(UUID refundId) {
    return "payment-refunded:" + refundId;
  }

  @Override
  public String type() {
    return TYPE;
  }
}
