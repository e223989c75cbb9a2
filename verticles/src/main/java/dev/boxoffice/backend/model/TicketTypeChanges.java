package dev.boxoffice.backend.model;

/** A new capacity (null: unchanged), and whether to close sales, which cannot be undone. */
public record TicketTypeChanges(Integer capacity, boolean closeSales) {
}
