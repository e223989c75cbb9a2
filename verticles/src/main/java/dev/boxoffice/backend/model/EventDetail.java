package dev.boxoffice.backend.model;

import java.util.List;

/** An event with its ticket types, in the order they were created. */
public record EventDetail(Event event, List<TicketType> ticketTypes) {

  public EventDetail {
    ticketTypes = List.copyOf(ticketTypes);
  }
}
