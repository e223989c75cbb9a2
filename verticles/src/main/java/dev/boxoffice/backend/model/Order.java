package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * One buyer's purchase of one ticket type, with its tickets sorted by id; {@code cancelledAt} null while placed.
 * {@code paidMinor} is what the buyer paid through the payment provider (null for free tickets), and {@code refunds}
 * what went or goes back.
 */
public record Order(UUID id, UUID eventId, UUID ticketTypeId, String buyerEmail, int quantity, long unitPriceMinor,
                    String currency, Status status, Instant placedAt, Instant cancelledAt, List<Ticket> tickets,
                    Long paidMinor, List<Refund> refunds) {

  public Order {
    tickets = List.copyOf(tickets);
    refunds = List.copyOf(refunds);
  }

  /** A free order, as a purchase batch places it. */
  public Order(UUID id, UUID eventId, UUID ticketTypeId, String buyerEmail, int quantity, long unitPriceMinor,
               String currency, Status status, Instant placedAt, Instant cancelledAt, List<Ticket> tickets) {
    this(id, eventId, ticketTypeId, buyerEmail, quantity, unitPriceMinor, currency, status, placedAt, cancelledAt,
        tickets, null, List.of());
  }

  public long totalMinor() {
    return unitPriceMinor * quantity;
  }

  public enum Status {
    PLACED, CANCELLED;

    private final String text = name().toLowerCase(Locale.ROOT);

    /** As the database stores it and the API spells it. */
    public String text() {
      return text;
    }

    public static Status of(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }
}
