package dev.boxoffice.backend.model;

import java.util.List;
import java.util.Optional;

/** A page of a list in its order; {@code next} is where the following page starts, empty on the last page. */
public record Page<T>(List<T> items, Optional<Cursor> next) {

  public Page {
    items = List.copyOf(items);
  }
}
