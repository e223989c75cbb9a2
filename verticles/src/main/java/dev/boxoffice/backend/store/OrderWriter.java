package dev.boxoffice.backend.store;

import dev.boxoffice.backend.db.TimeOrderedIds;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.OrderPlaced;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Writes decided orders of one ticket type with their tickets, each multi-row statement sent without waiting for the
 * previous (pipelined), and returns their {@link OrderPlaced} events for the caller's outbox append: a purchase batch
 * writes free orders with it, a payment confirmation the order its hold becomes. Counters are the caller's.
 */
final class OrderWriter {

  private static final String INSERT_ORDERS = "INSERT INTO orders (id, ticket_type_id, event_id, buyer_email,"
      + " quantity, unit_price_minor, total_minor, currency, placed_at)"
      + " SELECT o.id, $1, $2, o.buyer_email, o.quantity, $3::bigint, $3::bigint * o.quantity, $4, $5"
      + " FROM unnest($6::uuid[], $7::text[], $8::int[]) AS o(id, buyer_email, quantity)";
  private static final String INSERT_TICKETS = "INSERT INTO tickets (id, order_id, ticket_type_id, event_id,"
      + " buyer_email, issued_at) SELECT k.id, k.order_id, $1, $2, k.buyer_email, $3"
      + " FROM unnest($4::uuid[], $5::uuid[], $6::text[]) AS k(id, order_id, buyer_email)";

  /** The statements sent, and the events to append in the same transaction. */
  record Written(Future<Void> inserted, List<DomainEvent> placed, int tickets) {
  }

  private OrderWriter() {
  }

  static Written write(SqlConnection conn, TicketTypeState state, List<NewOrder> orders, Instant now) {
    int ticketCount = orders.stream().mapToInt(order -> order.ticketIds().size()).sum();
    UUID[] orderIds = new UUID[orders.size()];
    String[] buyers = new String[orders.size()];
    Integer[] quantities = new Integer[orders.size()];
    UUID[] ticketIds = new UUID[ticketCount];
    UUID[] ticketOrders = new UUID[ticketCount];
    String[] ticketBuyers = new String[ticketCount];
    // One OrderPlaced per order, listing its tickets: it is what starts their issuance. (A TicketIssued per ticket
    // repeated it and was 70% of the outbox rows a rush wrote and relayed.)
    List<DomainEvent> events = new ArrayList<>(orders.size());
    int t = 0;
    for (int i = 0; i < orders.size(); i++) {
      NewOrder order = orders.get(i);
      orderIds[i] = order.id();
      buyers[i] = order.request().buyerEmail();
      quantities[i] = order.request().quantity();
      events.add(new OrderPlaced(TimeOrderedIds.next(), now, order.id(), state.eventId(), state.ticketTypeId(),
          buyers[i], order.ticketIds(), quantities[i], state.priceMinor() * quantities[i], state.currency(), now));
      for (UUID ticketId : order.ticketIds()) {
        ticketIds[t] = ticketId;
        ticketOrders[t] = order.id();
        ticketBuyers[t] = buyers[i];
        t++;
      }
    }
    if (orders.isEmpty()) {
      return new Written(Future.succeededFuture(), events, 0);
    }
    OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
    Future<Void> inserted = Future.all(
            conn.preparedQuery(INSERT_ORDERS).execute(Tuple.of(state.ticketTypeId(), state.eventId(),
                state.priceMinor(), state.currency(), at).addValue(orderIds).addValue(buyers).addValue(quantities)),
            conn.preparedQuery(INSERT_TICKETS).execute(Tuple.of(state.ticketTypeId(), state.eventId(), at)
                .addValue(ticketIds).addValue(ticketOrders).addValue(ticketBuyers)))
        .mapEmpty();
    return new Written(inserted, events, ticketCount);
  }
}
