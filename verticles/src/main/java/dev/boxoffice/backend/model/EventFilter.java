package dev.boxoffice.backend.model;

import java.time.Instant;

/**
 * Which published events a list shows; a null field filters nothing. {@code from} and {@code to} bound the start,
 * {@code category} and {@code city} match ignoring case, {@code text} is looked for in the title.
 */
public record EventFilter(Instant from, Instant to, String category, String city, String text) {
}
