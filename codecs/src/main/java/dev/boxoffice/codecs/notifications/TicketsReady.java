package dev.boxoffice.codecs.notifications;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The tickets of order {@link #orderId()} are issued: the buyer gets each one's QR code and a calendar entry. The
 * ticket-issuance workflow publishes it with the id {@code tickets-ready:<orderId>}, so a retried step or a
 * restarted execution mails the buyer once.
 */
public record TicketsReady(String id, String to, String language, UUID orderId, EventDetails event,
                           List<IssuedTicket> tickets) implements Notification {

  public static final String TYPE = "tickets-ready";

  public TicketsReady {
    id = Checks.id(id);
    to = Checks.recipient(to);
    language = Checks.language(language);
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(event, "event");
    tickets = Checks.list(tickets, "tickets");
    if (tickets.isEmpty()) {
      throw new IllegalArgumentException("tickets must name at least one ticket");
    }
  }

  public static String idOf(UUID orderId) {
    return "tickets-ready:" + orderId;
  }

  @Override
  public String type() {
    return TYPE;
  }
}
