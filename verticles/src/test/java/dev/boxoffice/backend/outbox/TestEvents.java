package dev.boxoffice.backend.outbox;

import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.OrderCancelled;
import dev.boxoffice.codecs.events.OrderPlaced;
import dev.boxoffice.codecs.events.TicketIssued;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Realistic order histories for outbox tests: placed, its tickets issued, then cancelled. */
final class TestEvents {

  private TestEvents() {
  }

  /** One order's events in the order they happen: OrderPlaced, {@code tickets} TicketIssued, OrderCancelled. */
  static List<DomainEvent> orderHistory(int tickets) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    UUID order = UUID.randomUUID();
    UUID event = UUID.randomUUID();
    UUID type = UUID.randomUUID();
    List<UUID> ticketIds = new ArrayList<>();
    for (int i = 0; i < tickets; i++) {
      ticketIds.add(UUID.randomUUID());
    }
    List<DomainEvent> history = new ArrayList<>();
    history.add(new OrderPlaced(UUID.randomUUID(), now, order, event, type, "buyer@example.org", ticketIds, tickets,
        2500L * tickets, "EUR", now));
    for (UUID ticket : ticketIds) {
      history.add(new TicketIssued(UUID.randomUUID(), now, ticket, order, event, type, "buyer@example.org", now,
          now.plus(1, ChronoUnit.DAYS)));
    }
    history.add(new OrderCancelled(UUID.randomUUID(), now.plusSeconds(1), order, event, type, "buyer@example.org",
        ticketIds, "org@example.org"));
    return history;
  }

  /** The histories of {@code orders} orders interleaved round-robin, as concurrent buyers would write them. */
  static List<DomainEvent> interleavedHistories(int orders, int ticketsPerOrder) {
    List<List<DomainEvent>> histories = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      histories.add(orderHistory(ticketsPerOrder));
    }
    List<DomainEvent> interleaved = new ArrayList<>();
    for (int step = 0; step < ticketsPerOrder + 2; step++) {
      for (List<DomainEvent> history : histories) {
        interleaved.add(history.get(step));
      }
    }
    return interleaved;
  }
}
