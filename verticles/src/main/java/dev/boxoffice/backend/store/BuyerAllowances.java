package dev.boxoffice.backend.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What buyers already have of an event with a per-buyer limit (tickets of placed orders and live holds), read so that
 * no other transaction can add to it until this one ends. Each (event, buyer) has a transaction-scoped advisory lock,
 * taken in one statement in the order of its key, after the ticket type's row (and its holds): the last locks of the
 * lock order (docs/fairness.md), so two purchase batches of one event's two ticket types, in two lanes or on two
 * backends, serialize on the buyers they share and never wait for each other in a circle. Only what adds tickets to a buyer takes them (purchase batches, a late payment becoming an
 * order); cancellations, expiries and the sweeper only take tickets away, so they need no such lock.
 *
 * <p>Both statements are sent pipelined after the ticket type's lock and do nothing for an event without a limit. The
 * count is a statement of its own, after the locks: in READ COMMITTED each statement sees what committed before it
 * began, so it sees every order and hold of the transactions that held these locks before.
 */
final class BuyerAllowances {

  /** The advisory locks' first key (their "class"): these locks never meet another use of advisory locks. */
  static final int LOCK_CLASS = 1701;
  // DISTINCT keeps the subquery from being flattened, so the aggregate takes the locks in the subquery's order. Two
  // buyers whose keys collide share a lock: they only wait for each other.
  static final String LOCK_BUYERS = "SELECT count(pg_advisory_xact_lock(" + LOCK_CLASS + ", k.key)) FROM"
      + " (SELECT DISTINCT hashtext(t.event_id::text || ' ' || b.email) AS key"
      + " FROM ticket_types t JOIN events e ON e.id = t.event_id CROSS JOIN unnest($2::text[]) AS b(email)"
      + " WHERE t.id = $1 AND e.max_tickets_per_buyer IS NOT NULL ORDER BY 1) k";
  // Live holds only: one past its expiry counts no more, even before the sweeper releases it (a payment for it is
  // checked against the limit again when it settles). $3 is a hold left out of the count: the one settling.
  static final String TAKEN = "SELECT b.email,"
      + " (SELECT COALESCE(sum(o.quantity), 0) FROM orders o"
      + " WHERE o.buyer_email = b.email AND o.event_id = t.event_id AND o.status = 'placed')"
      + " + (SELECT COALESCE(sum(h.quantity), 0) FROM holds h WHERE h.buyer_email = b.email"
      + " AND h.event_id = t.event_id AND h.status = 'active' AND h.expires_at > now()"
      + " AND h.id IS DISTINCT FROM $3::uuid) AS taken"
      + " FROM ticket_types t JOIN events e ON e.id = t.event_id"
      + " CROSS JOIN (SELECT DISTINCT u.email FROM unnest($2::text[]) AS u(email)) b"
      + " WHERE t.id = $1 AND e.max_tickets_per_buyer IS NOT NULL";

  private BuyerAllowances() {
  }

  /**
   * Locks {@code buyers} for the event of {@code ticketTypeId} and answers the tickets each has of it in placed orders
   * and live holds, leaving out the hold {@code settling} (null: none); an empty map when the event has no limit.
   * Call it after the ticket type's lock.
   */
  static Future<Map<String, Integer>> lockAndCount(SqlConnection conn, UUID ticketTypeId, Collection<String> buyers,
                                                   UUID settling) {
    String[] emails = buyers.toArray(String[]::new);
    Future<?> locked = conn.preparedQuery(LOCK_BUYERS).execute(Tuple.of(ticketTypeId).addValue(emails));
    Tuple parameters = Tuple.of(ticketTypeId).addValue(emails).addValue(settling);
    return Future.all(locked, conn.preparedQuery(TAKEN).execute(parameters).map(rows -> {
      Map<String, Integer> taken = new HashMap<>();
      for (Row row : rows) {
        taken.put(row.getString("email"), row.getInteger("taken"));
      }
      return taken;
    })).map(both -> both.resultAt(1));
  }
}
