package dev.boxoffice.backend.model;

import java.util.Optional;

/** At most {@code limit} items, after {@code after} (from the start when empty). */
public record PageRequest(Optional<Cursor> after, int limit) {
}
