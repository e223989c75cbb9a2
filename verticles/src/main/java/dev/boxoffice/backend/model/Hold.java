package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Tickets of a priced type set aside for one buyer until {@code expiresAt}, while they pay. Paying confirms it into
 * the order of the same id; running out or the buyer's cancel returns the tickets to sale. {@code refunds} are those
 * of its payment (a payment that came after the tickets were gone is refunded whole).
 */
public record Hold(UUID id, UUID eventId, UUID ticketTypeId, String buyerEmail, int quantity, long unitPriceMinor,
                   String currency, Status status, Instant createdAt, Instant expiresAt, Payment payment,
                   List<Refund> refunds) {

  public Hold {
    refunds = List.copyOf(refunds);
  }

  public long totalMinor() {
    return unitPriceMinor * quantity;
  }

  /** active: tickets held; confirmed: paid, the order exists; expired: ran out; cancelled: by the buyer or event. */
  public enum Status {
    ACTIVE, CONFIRMED, EXPIRED, CANCELLED;

    private final String text = name().toLowerCase(Locale.ROOT);

    /** As the database stores it and the API spells it. */
    public String text() {
      return text;
    }

    public static Status of(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  /**
   * The provider's checkout of this hold: {@code checkoutUrl} while the buyer may pay there, {@code paidMinor} once
   * paid, {@code error} the provider's last reason for refusing a card (null when none).
   */
  public record Payment(PaymentStatus status, String checkoutUrl, Long paidMinor, String error) {

    public static final Payment NONE = new Payment(PaymentStatus.NONE, null, null, null);
  }

  /** none: no checkout yet; open: the buyer may pay; paid; expired: the checkout ended unpaid. */
  public enum PaymentStatus {
    NONE, OPEN, PAID, EXPIRED;

    private final String text = name().toLowerCase(Locale.ROOT);

    public String text() {
      return text;
    }

    public static PaymentStatus of(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }
}
