package dev.boxoffice.backend.model;

import java.util.Optional;
import java.util.UUID;

/**
 * Which of an event's tickets a list shows: {@code search} matches part of the buyer's email, case-insensitively, or
 * the start of a ticket or order id; {@code ticketType} and {@code status} narrow it further.
 */
public record AttendeeFilter(Optional<String> search, Optional<UUID> ticketType, Optional<Ticket.Status> status) {

  public static final AttendeeFilter ALL = new AttendeeFilter(Optional.empty(), Optional.empty(), Optional.empty());
}
