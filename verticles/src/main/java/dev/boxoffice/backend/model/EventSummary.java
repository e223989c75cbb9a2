package dev.boxoffice.backend.model;

import java.util.List;
import java.util.UUID;

/** An organizer's view of an event's sales: per ticket type, what is sold, checked in and earned. */
public record EventSummary(UUID eventId, List<TicketTypeSales> ticketTypes) {

  public EventSummary {
    ticketTypes = List.copyOf(ticketTypes);
  }

  /** {@code revenueMinor} counts placed orders only, in the ticket type's currency. */
  public record TicketTypeSales(UUID ticketTypeId, String name, int capacity, int sold, long checkedIn,
                                long revenueMinor, String currency) {

    public int remaining() {
      return capacity - sold;
    }
  }
}
