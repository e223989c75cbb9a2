package dev.boxoffice.backend.store;

import dev.boxoffice.backend.model.Cursor;
import dev.boxoffice.backend.model.PageRequest;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keyset pagination: a page's query asks for one row more than the page holds, after the cursor's (instant, id);
 * when that extra row comes back, the page's last row is where the next one starts.
 */
final class Pages {

  private Pages() {
  }

  /** {@code (owner, cursor instant, cursor id, limit + 1)}: the parameters of the per-owner page queries. */
  static Tuple ownerPage(String owner, PageRequest page) {
    Cursor after = page.after().orElse(null);
    return Tuple.of(owner, after == null ? null : after.at().atOffset(ZoneOffset.UTC),
        after == null ? null : after.id(), page.limit() + 1);
  }

  static List<Row> firstRows(RowSet<Row> rows, int limit) {
    List<Row> page = new ArrayList<>(Math.min(rows.size(), limit));
    for (Row row : rows) {
      if (page.size() == limit) {
        break;
      }
      page.add(row);
    }
    return page;
  }

  /** Where the page after {@code page} starts, when {@code rows} held more than {@code limit}. */
  static Optional<Cursor> next(RowSet<Row> rows, List<Row> page, int limit, String atColumn) {
    if (rows.size() <= limit || page.isEmpty()) {
      return Optional.empty();
    }
    Row last = page.get(page.size() - 1);
    return Optional.of(new Cursor(last.getOffsetDateTime(atColumn).toInstant(), last.getUUID("id")));
  }
}
