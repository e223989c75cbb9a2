package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.List;

/**
 * What a door downloads to check an event's tickets without the network, but for the list of tickets that no longer
 * admit ({@link DoorTicketList}, paged apart because it can be long): the event, its ticket types, the raw 32-byte
 * Ed25519 public key that verifies ticket tokens, and the window tickets of the event are issued with.
 */
public record DoorBundle(Event event, List<TicketType> ticketTypes, byte[] ticketPublicKey, TicketValidity validity,
                         Instant generatedAt) {

  public DoorBundle {
    ticketTypes = List.copyOf(ticketTypes);
    ticketPublicKey = ticketPublicKey.clone();
  }

  @Override
  public byte[] ticketPublicKey() {
    return ticketPublicKey.clone();
  }
}
