package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * Money going back to a buyer through the payment provider: decided in the transaction that cancels (pending), then
 * sent to the provider until it answers (succeeded, or failed when it refuses for good). {@code tickets} is how many
 * tickets it pays back.
 */
public record Refund(UUID id, long amountMinor, String currency, int tickets, Reason reason, Status status,
                     Instant createdAt, Instant completedAt) {

  public enum Status {
    PENDING, SUCCEEDED, FAILED;

    private final String text = name().toLowerCase(Locale.ROOT);

    public String text() {
      return text;
    }

    public static Status of(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  /** Why the money goes back; payment_too_late: the hold had expired and its tickets were sold meanwhile. */
  public enum Reason {
    ORDER_CANCELLED, EVENT_CANCELLED, TICKET_CANCELLED, PAYMENT_TOO_LATE, AMOUNT_MISMATCH,
    /** The hold had expired, and meanwhile the buyer took as many of the event's tickets as one buyer may. */
    OVER_BUYER_LIMIT;

    private final String text = name().toLowerCase(Locale.ROOT);

    public String text() {
      return text;
    }

    public static Reason of(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }
}
