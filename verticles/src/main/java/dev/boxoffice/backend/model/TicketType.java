package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.UUID;

/** What an event sells: a price, a capacity and a sales window; {@code salesClosed} is for good. */
public record TicketType(UUID id, UUID eventId, String name, long priceMinor, String currency, int capacity, int sold,
                         Instant salesStart, Instant salesEnd, int maxPerOrder, boolean salesClosed) {

  public int remaining() {
    return capacity - sold;
  }
}
