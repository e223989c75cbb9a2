package dev.boxoffice.backend.model;

import java.time.Instant;

/** A ticket type to add to an event; nothing is sold yet. */
public record NewTicketType(String name, long priceMinor, String currency, int capacity, Instant salesStart,
                            Instant salesEnd, int maxPerOrder) {
}
