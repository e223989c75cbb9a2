package dev.boxoffice.backend.model;

import java.util.List;
import java.util.UUID;

/** An organizer's view of an event's sales: per ticket type, what is sold, held, paid, refunded and checked in. */
public record EventSummary(UUID eventId, List<TicketTypeSales> ticketTypes) {

  public EventSummary {
    ticketTypes = List.copyOf(ticketTypes);
  }

  /**
   * Tickets: {@code sold} in placed orders (of which {@code paid} were paid through the provider), {@code held} in
   * active holds, {@code refunded} paid back. Money, in minor units of {@code currency}: {@code paidMinor} received,
   * {@code refundedMinor} paid back, {@code revenueMinor} what remains; {@code refundsPending} refunds not yet
   * confirmed by the provider.
   */
  public record TicketTypeSales(UUID ticketTypeId, String name, int capacity, int sold, int held, long paid,
                                long refunded, long checkedIn, long paidMinor, long refundedMinor, long refundsPending,
                                String currency) {

    public int remaining() {
      return capacity - sold - held;
    }

    public long revenueMinor() {
      return paidMinor - refundedMinor;
    }
  }
}
