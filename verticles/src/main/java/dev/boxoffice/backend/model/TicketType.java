package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.UUID;

/**
 * What an event sells: a price, a capacity and a sales window; {@code salesClosed} is for good. {@code held} tickets
 * are in buyers' holds: taken until paid or released.
 */
public record TicketType(UUID id, UUID eventId, String name, long priceMinor, String currency, int capacity, int sold,
                         int held, Instant salesStart, Instant salesEnd, int maxPerOrder, boolean salesClosed) {

  public int remaining() {
    return capacity - sold - held;
  }
}
