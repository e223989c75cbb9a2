package dev.boxoffice.backend.store;

import static dev.boxoffice.backend.store.CatalogRows.EVENT_COLUMNS;

import dev.boxoffice.backend.model.Cursor;
import dev.boxoffice.backend.model.EventFilter;
import dev.boxoffice.backend.model.PageRequest;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The public list's filters and page as one SQL statement: only the filters given become conditions. */
record EventListQuery(String sql, Tuple parameters) {

  static EventListQuery of(EventFilter filter, PageRequest page) {
    StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM events e WHERE e.status = 'published'");
    List<Object> parameters = new ArrayList<>();
    if (filter.from() != null) {
      parameters.add(utc(filter.from()));
      sql.append(" AND e.starts_at >= $").append(parameters.size());
    }
    if (filter.to() != null) {
      parameters.add(utc(filter.to()));
      sql.append(" AND e.starts_at < $").append(parameters.size());
    }
    if (filter.category() != null) {
      parameters.add(filter.category().toLowerCase(Locale.ROOT));
      sql.append(" AND lower(e.category) = $").append(parameters.size());
    }
    if (filter.city() != null) {
      parameters.add(filter.city().toLowerCase(Locale.ROOT));
      sql.append(" AND lower(e.city) = $").append(parameters.size());
    }
    if (filter.text() != null) {
      parameters.add("%" + likeEscaped(filter.text().toLowerCase(Locale.ROOT)) + "%");
      sql.append(" AND lower(e.title) LIKE $").append(parameters.size());
    }
    if (page.after().isPresent()) {
      Cursor after = page.after().get();
      parameters.add(utc(after.at()));
      parameters.add(after.id());
      sql.append(" AND (e.starts_at, e.id) > ($").append(parameters.size() - 1)
          .append(", $").append(parameters.size()).append(")");
    }
    parameters.add(page.limit() + 1);
    sql.append(" ORDER BY e.starts_at, e.id LIMIT $").append(parameters.size());
    return new EventListQuery(sql.toString(), Tuple.from(parameters));
  }

  private static String likeEscaped(String text) {
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
