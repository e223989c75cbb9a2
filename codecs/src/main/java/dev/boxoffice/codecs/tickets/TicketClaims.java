package dev.boxoffice.codecs.tickets;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** What a ticket token asserts: this ticket, of this type, admits to this event between the two instants. */
public record TicketClaims(UUID ticketId, UUID eventId, UUID ticketTypeId, Instant validFrom, Instant validUntil) {

  public TicketClaims {
    Objects.requireNonNull(ticketId, "ticketId");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(ticketTypeId, "ticketTypeId");
    Objects.requireNonNull(validFrom, "validFrom");
    Objects.requireNonNull(validUntil, "validUntil");
    // The token carries whole seconds; truncating here makes claims equal to themselves after a round trip.
    validFrom = Instant.ofEpochSecond(validFrom.getEpochSecond());
    validUntil = Instant.ofEpochSecond(validUntil.getEpochSecond());
    if (!validUntil.isAfter(validFrom)) {
      throw new IllegalArgumentException("validUntil must be after validFrom");
    }
  }

  /** Whether the ticket admits at {@code now}: from {@code validFrom} inclusive to {@code validUntil} exclusive. */
  public boolean isValidAt(Instant now) {
    return !now.isBefore(validFrom) && now.isBefore(validUntil);
  }
}
