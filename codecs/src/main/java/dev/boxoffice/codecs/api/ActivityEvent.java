package dev.boxoffice.codecs.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** One thing a visitor did, as the frontend or a state machine reports it; {@code type} and {@code at} required. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActivityEvent(String type, Instant at, String path, UUID eventId, UUID orderId, UUID ticketId) {

  /** The types /log-activity accepts; anything else is refused so the table holds only what someone reads. */
  public static final Set<String> TYPES = Set.of(
      "page_view", "event_view", "search", "subscribe", "sign_in", "sign_out", "add_to_cart", "checkout_started",
      "order_placed", "ticket_issued", "ticket_viewed", "qr_code_viewed", "checked_in");
}
