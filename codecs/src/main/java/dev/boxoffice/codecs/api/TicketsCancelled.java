package dev.boxoffice.codecs.api;

import java.util.List;
import java.util.UUID;

/** Output of cancel-tickets: the order's tickets whose QR codes are now refused. */
public record TicketsCancelled(UUID orderId, List<UUID> ticketIds) {
}
