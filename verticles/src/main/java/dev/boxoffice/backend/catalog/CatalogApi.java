package dev.boxoffice.backend.catalog;

import static dev.boxoffice.backend.catalog.CatalogRows.EVENT_COLUMNS;
import static dev.boxoffice.backend.catalog.CatalogRows.TICKET_TYPE_COLUMNS;

import dev.boxoffice.backend.web.Cursor;
import dev.boxoffice.backend.web.Inputs;
import dev.boxoffice.backend.web.Replies;
import dev.boxoffice.backend.cache.ResponseCache;
import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.web.Sessions;
import dev.boxoffice.backend.web.ApiException;
import dev.boxoffice.backend.outbox.Outbox;
import dev.boxoffice.backend.cache.SoldOutFlags;
import dev.boxoffice.codecs.ErrorBody;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.EventCancelled;
import dev.boxoffice.codecs.events.EventPublished;
import dev.boxoffice.codecs.events.OrderCancelled;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.UUID;

/**
 * Events and ticket types: organizers write their own (another organizer's event answers 404, as an unknown one
 * does), anyone reads published ones through the {@link ResponseCache}. All catalog SQL lives here.
 */
public final class CatalogApi {

  private static final String LOCK_OWN_EVENT = "SELECT " + EVENT_COLUMNS
      + " FROM events e WHERE e.id = $1 AND e.organizer_email = $2 FOR UPDATE";
  private static final String INSERT_EVENT = "INSERT INTO events (id, organizer_email, title, description, category,"
      + " venue, city, starts_at, ends_at, time_zone, image_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
      + " RETURNING " + EVENT_COLUMNS.replace("e.", "");
  private static final String UPDATE_EVENT = "UPDATE events SET title = COALESCE($2, title),"
      + " description = COALESCE($3, description), category = COALESCE($4, category), venue = COALESCE($5, venue),"
      + " city = COALESCE($6, city), starts_at = COALESCE($7, starts_at), ends_at = COALESCE($8, ends_at),"
      + " time_zone = COALESCE($9, time_zone), image_key = COALESCE($10, image_key), updated_at = now()"
      + " WHERE id = $1 RETURNING " + EVENT_COLUMNS.replace("e.", "");
  private static final String SET_EVENT_STATUS = "UPDATE events SET status = $2, updated_at = now() WHERE id = $1"
      + " RETURNING " + EVENT_COLUMNS.replace("e.", "");
  private static final String LOCK_TICKET_TYPES_OF_OWN_EVENT = "SELECT t.id FROM ticket_types t"
      + " JOIN events e ON e.id = t.event_id WHERE t.event_id = $1 AND e.organizer_email = $2 ORDER BY t.id"
      + " FOR UPDATE OF t";
  private static final String CANCEL_ORDERS_OF_EVENT = "UPDATE orders SET status = 'cancelled', cancelled_at = now()"
      + " WHERE event_id = $1 AND status = 'placed' RETURNING id, ticket_type_id, buyer_email";
  private static final String CANCEL_TICKETS_OF_EVENT = "UPDATE tickets SET status = 'cancelled'"
      + " WHERE event_id = $1 AND status <> 'cancelled' RETURNING id, order_id";
  private static final String NOTHING_SOLD = "UPDATE ticket_types SET sold = 0 WHERE event_id = $1";
  private static final String PUBLIC_EVENT = "SELECT " + EVENT_COLUMNS
      + " FROM events e WHERE e.id = $1 AND e.status IN ('published', 'cancelled')";
  private static final String TICKET_TYPES_OF_EVENT = "SELECT " + TICKET_TYPE_COLUMNS
      + " FROM ticket_types t WHERE t.event_id = $1 ORDER BY t.created_at, t.id";
  private static final String INSERT_TICKET_TYPE = "INSERT INTO ticket_types (id, event_id, name, price_minor,"
      + " currency, capacity, sales_start, sales_end, max_per_order) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
      + " RETURNING " + TICKET_TYPE_COLUMNS.replace("t.", "");
  private static final String LOCK_OWN_TICKET_TYPE = "SELECT " + TICKET_TYPE_COLUMNS + ", e.status AS event_status"
      + " FROM ticket_types t JOIN events e ON e.id = t.event_id WHERE t.id = $1 AND e.organizer_email = $2"
      + " FOR UPDATE OF t";
  private static final String UPDATE_TICKET_TYPE = "UPDATE ticket_types SET capacity = $2, sales_closed = $3"
      + " WHERE id = $1 RETURNING " + TICKET_TYPE_COLUMNS.replace("t.", "");
  private static final String SUMMARY = "SELECT t.id, t.name, t.capacity, t.sold, t.currency,"
      + " COALESCE(SUM(o.total_minor) FILTER (WHERE o.status = 'placed'), 0) AS revenue_minor,"
      + " (SELECT count(*) FROM tickets k WHERE k.ticket_type_id = t.id AND k.checked_in_at IS NOT NULL)"
      + " AS checked_in"
      + " FROM ticket_types t LEFT JOIN orders o ON o.ticket_type_id = t.id"
      + " WHERE t.event_id = $1 GROUP BY t.id ORDER BY t.created_at, t.id";
  private static final String MY_EVENTS = "SELECT " + EVENT_COLUMNS + " FROM events e WHERE e.organizer_email = $1"
      + " AND ($2::timestamptz IS NULL OR (e.starts_at, e.id) > ($2, $3)) ORDER BY e.starts_at, e.id LIMIT $4";
  private static final String OWN_EVENT = "SELECT e.id FROM events e WHERE e.id = $1 AND e.organizer_email = $2";

  private final Pool pool;
  private final ResponseCache cache;
  private final SoldOutFlags soldOutFlags;

  public CatalogApi(Pool pool, ResponseCache cache, SoldOutFlags soldOutFlags) {
    this.pool = pool;
    this.cache = cache;
    this.soldOutFlags = soldOutFlags;
  }

  public void createEvent(RoutingContext ctx) {
    Principal organizer = Sessions.principal(ctx);
    JsonObject body = Inputs.body(ctx);
    Instant startsAt = Inputs.instant(body.getString("startsAt"), "startsAt");
    Instant endsAt = Inputs.instant(body.getString("endsAt"), "endsAt");
    requireAfter(startsAt, endsAt, "endsAt");
    Tuple values = Tuple.of(UUID.randomUUID(), organizer.email(), body.getString("title"),
            body.getString("description", ""), body.getString("category"), body.getString("venue"))
        .addValue(body.getString("city"))
        .addValue(utc(startsAt))
        .addValue(utc(endsAt))
        .addValue(Inputs.timeZone(body.getString("timeZone"), "timeZone"))
        .addValue(body.getString("imageKey"));
    pool.preparedQuery(INSERT_EVENT).execute(values)
        .map(rows -> CatalogRows.event(rows.iterator().next()).put("ticketTypes", new JsonArray()))
        .onSuccess(event -> Replies.json(ctx, 201, event))
        .onFailure(ctx::fail);
  }

  public void updateEvent(RoutingContext ctx) {
    Principal organizer = Sessions.principal(ctx);
    UUID eventId = Inputs.pathId(ctx, "eventId");
    JsonObject body = Inputs.body(ctx);
    Tuple values = Tuple.of(eventId, body.getString("title"), body.getString("description"),
            body.getString("category"), body.getString("venue"), body.getString("city"))
        .addValue(utc(Inputs.instant(body.getString("startsAt"), "startsAt")))
        .addValue(utc(Inputs.instant(body.getString("endsAt"), "endsAt")))
        .addValue(Inputs.timeZone(body.getString("timeZone"), "timeZone"))
        .addValue(body.getString("imageKey"));
    pool.withTransaction(conn -> lockOwnEvent(conn, eventId, organizer)
            .compose(event -> {
              if ("cancelled".equals(event.getString("status"))) {
                return Future.failedFuture(ApiException.conflict("event_cancelled", "A cancelled event cannot change"));
              }
              return conn.preparedQuery(UPDATE_EVENT).execute(values);
            })
            .recover(CatalogApi::endsBeforeStart)
            .compose(rows -> withTicketTypes(conn, rows.iterator().next())))
        .compose(event -> cache.eventChanged(eventId).map(event))
        .onSuccess(event -> Replies.json(ctx, 200, event))
        .onFailure(ctx::fail);
  }

  public void publishEvent(RoutingContext ctx) {
    Principal organizer = Sessions.principal(ctx);
    UUID eventId = Inputs.pathId(ctx, "eventId");
    pool.withTransaction(conn -> lockOwnEvent(conn, eventId, organizer)
        .compose(event -> switch (event.getString("status")) {
          case "published" -> withTicketTypes(conn, event);
          case "cancelled" -> Future.failedFuture(ApiException.conflict("event_cancelled",
              "A cancelled event cannot be published"));
          default -> conn.preparedQuery(SET_EVENT_STATUS).execute(Tuple.of(eventId, "published"))
              .map(rows -> rows.iterator().next())
              .compose(published -> Outbox.append(conn, new EventPublished(UUID.randomUUID(), Instant.now(), eventId,
                      published.getString("organizer_email"), published.getString("title"),
                      published.getString("category"), published.getString("city"),
                      published.getOffsetDateTime("starts_at").toInstant(),
                      published.getOffsetDateTime("ends_at").toInstant(), published.getString("time_zone")))
                  .compose(appended -> withTicketTypes(conn, published)));
        }))
        .compose(event -> cache.eventChanged(eventId).map(event))
        .onSuccess(event -> Replies.json(ctx, 200, event))
        .onFailure(ctx::fail);
  }

  /**
   * Cancelling an event cancels its placed orders and voids their tickets, each order with its OrderCancelled. The
   * ticket type rows are locked before the event row, in the order purchase batches lock them, so the two never
   * deadlock.
   */
  public void cancelEvent(RoutingContext ctx) {
    Principal organizer = Sessions.principal(ctx);
    UUID eventId = Inputs.pathId(ctx, "eventId");
    pool.withTransaction(conn -> conn.preparedQuery(LOCK_TICKET_TYPES_OF_OWN_EVENT)
        .execute(Tuple.of(eventId, organizer.email()))
        .compose(lockedTypes -> lockOwnEvent(conn, eventId, organizer)).compose(event -> {
          if ("cancelled".equals(event.getString("status"))) {
            return withTicketTypes(conn, event);
          }
          return conn.preparedQuery(SET_EVENT_STATUS).execute(Tuple.of(eventId, "cancelled"))
              .map(rows -> rows.iterator().next())
              .compose(cancelled -> cancelOrdersOf(conn, eventId, organizer)
                  .compose(orderEvents -> {
                    List<DomainEvent> events = new ArrayList<>();
                    events.add(new EventCancelled(UUID.randomUUID(), Instant.now(), eventId, organizer.email()));
                    events.addAll(orderEvents);
                    return Outbox.appendAll(conn, events);
                  })
                  .compose(appended -> withTicketTypes(conn, cancelled)));
        }))
        .compose(event -> cache.eventChanged(eventId).map(event))
        .onSuccess(event -> Replies.json(ctx, 200, event))
        .onFailure(ctx::fail);
  }

  private static Future<List<OrderCancelled>> cancelOrdersOf(SqlConnection conn, UUID eventId, Principal organizer) {
    return conn.preparedQuery(CANCEL_ORDERS_OF_EVENT).execute(Tuple.of(eventId))
        .compose(orders -> conn.preparedQuery(CANCEL_TICKETS_OF_EVENT).execute(Tuple.of(eventId))
            .compose(tickets -> conn.preparedQuery(NOTHING_SOLD).execute(Tuple.of(eventId))
                .map(zeroed -> {
                  Map<UUID, List<UUID>> ticketsByOrder = new HashMap<>();
                  tickets.forEach(row -> ticketsByOrder
                      .computeIfAbsent(row.getUUID("order_id"), id -> new ArrayList<>()).add(row.getUUID("id")));
                  Instant now = Instant.now();
                  List<OrderCancelled> cancelled = new ArrayList<>();
                  for (Row order : orders) {
                    cancelled.add(new OrderCancelled(UUID.randomUUID(), now, order.getUUID("id"), eventId,
                        order.getUUID("ticket_type_id"), order.getString("buyer_email"),
                        ticketsByOrder.getOrDefault(order.getUUID("id"), List.of()), organizer.email()));
                  }
                  return cancelled;
                })));
  }

  public void getEvent(RoutingContext ctx) {
    UUID eventId = Inputs.pathId(ctx, "eventId");
    cache.eventDetail(eventId, () -> pool.preparedQuery(PUBLIC_EVENT).execute(Tuple.of(eventId))
            .compose(rows -> rows.size() == 0
                ? Future.failedFuture(ApiException.notFound("No published event " + eventId))
                : pool.preparedQuery(TICKET_TYPES_OF_EVENT).execute(Tuple.of(eventId))
                    .map(types -> CatalogRows.eventWithTicketTypes(rows.iterator().next(), types).encode())))
        .onSuccess(event -> Replies.json(ctx, 200, event))
        .onFailure(ctx::fail);
  }

  public void listEvents(RoutingContext ctx) {
    EventListQuery query = EventListQuery.of(ctx);
    cache.eventList(query.canonical(), () -> pool.preparedQuery(query.sql()).execute(query.parameters())
            .map(rows -> page(rows, query.limit()).encode()))
        .onSuccess(page -> Replies.json(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  /** Not cached: it is one organizer's working view and must show their drafts the moment they change. */
  public void listMyEvents(RoutingContext ctx) {
    Principal organizer = Sessions.principal(ctx);
    String cursorText = Inputs.query(ctx, "cursor");
    Cursor cursor = cursorText == null ? null : Cursor.decode(cursorText);
    int limit = Inputs.queryInt(ctx, "limit", 20);
    pool.preparedQuery(MY_EVENTS).execute(Tuple.of(organizer.email(), cursor == null ? null : utc(cursor.at()),
            cursor == null ? null : cursor.id(), limit + 1))
        .map(rows -> page(rows, limit))
        .onSuccess(page -> Replies.json(ctx, 200, page))
        .onFailure(ctx::fail);
  }

  public void createTicketType(RoutingContext ctx) {
    Principal organizer = Sessions.principal(ctx);
    UUID eventId = Inputs.pathId(ctx, "eventId");
    JsonObject body = Inputs.body(ctx);
    Instant salesStart = Inputs.instant(body.getString("salesStart"), "salesStart");
    Instant salesEnd = Inputs.instant(body.getString("salesEnd"), "salesEnd");
    requireAfter(salesStart, salesEnd, "salesEnd");
    Tuple values = Tuple.of(UUID.randomUUID(), eventId, body.getString("name"), body.getLong("priceMinor"),
            body.getString("currency"), body.getInteger("capacity"))
        .addValue(utc(salesStart))
        .addValue(utc(salesEnd))
        .addValue(body.getInteger("maxPerOrder"));
    pool.withTransaction(conn -> lockOwnEvent(conn, eventId, organizer).compose(event -> {
          if ("cancelled".equals(event.getString("status"))) {
            return Future.failedFuture(ApiException.conflict("event_cancelled",
                "A cancelled event gets no ticket types"));
          }
          return conn.preparedQuery(INSERT_TICKET_TYPE).execute(values)
              .map(rows -> CatalogRows.ticketType(rows.iterator().next()));
        }))
        .compose(ticketType -> cache.eventChanged(eventId).map(ticketType))
        .onSuccess(ticketType -> Replies.json(ctx, 201, ticketType))
        .onFailure(ctx::fail);
  }

  /** Capacity may go up or down but never below what is sold; closing sales is for good. */
  public void updateTicketType(RoutingContext ctx) {
    Principal organizer = Sessions.principal(ctx);
    UUID ticketTypeId = Inputs.pathId(ctx, "ticketTypeId");
    JsonObject body = Inputs.body(ctx);
    pool.withTransaction(conn -> conn.preparedQuery(LOCK_OWN_TICKET_TYPE)
            .execute(Tuple.of(ticketTypeId, organizer.email()))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(ApiException.notFound("No ticket type " + ticketTypeId + " of yours"));
              }
              Row current = rows.iterator().next();
              int capacity = body.getInteger("capacity", current.getInteger("capacity"));
              if (capacity < current.getInteger("sold")) {
                return Future.failedFuture(new ApiException(409, ErrorBody.forField("capacity_below_sold",
                    current.getInteger("sold") + " tickets are sold already; capacity cannot go below that",
                    "capacity")));
              }
              boolean closed = current.getBoolean("sales_closed") || body.getBoolean("salesClosed", false);
              return conn.preparedQuery(UPDATE_TICKET_TYPE).execute(Tuple.of(ticketTypeId, capacity, closed))
                  .map(updated -> CatalogRows.ticketType(updated.iterator().next()));
            }))
        .compose(ticketType -> soldOutFlags.clear(ticketTypeId)
            .compose(cleared -> cache.eventChanged(UUID.fromString(ticketType.getString("eventId"))))
            .map(ticketType))
        .onSuccess(ticketType -> Replies.json(ctx, 200, ticketType))
        .onFailure(ctx::fail);
  }

  public void getEventSummary(RoutingContext ctx) {
    Principal organizer = Sessions.principal(ctx);
    UUID eventId = Inputs.pathId(ctx, "eventId");
    pool.preparedQuery(OWN_EVENT).execute(Tuple.of(eventId, organizer.email()))
        .compose(own -> own.size() == 0
            ? Future.failedFuture(ApiException.notFound("No event " + eventId + " of yours"))
            : pool.preparedQuery(SUMMARY).execute(Tuple.of(eventId)))
        .map(rows -> {
          JsonArray types = new JsonArray();
          for (Row row : rows) {
            types.add(new JsonObject()
                .put("ticketTypeId", row.getUUID("id").toString())
                .put("name", row.getString("name"))
                .put("capacity", row.getInteger("capacity"))
                .put("sold", row.getInteger("sold"))
                .put("remaining", row.getInteger("capacity") - row.getInteger("sold"))
                .put("checkedIn", row.getLong("checked_in"))
                .put("revenueMinor", row.getLong("revenue_minor"))
                .put("currency", row.getString("currency")));
          }
          return new JsonObject().put("eventId", eventId.toString()).put("ticketTypes", types);
        })
        .onSuccess(summary -> Replies.json(ctx, 200, summary))
        .onFailure(ctx::fail);
  }

  private static Future<Row> lockOwnEvent(SqlConnection conn, UUID eventId, Principal organizer) {
    return conn.preparedQuery(LOCK_OWN_EVENT).execute(Tuple.of(eventId, organizer.email()))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(ApiException.notFound("No event " + eventId + " of yours"))
            : Future.succeededFuture(rows.iterator().next()));
  }

  private static Future<JsonObject> withTicketTypes(SqlConnection conn, Row event) {
    return conn.preparedQuery(TICKET_TYPES_OF_EVENT).execute(Tuple.of(event.getUUID("id")))
        .map(types -> CatalogRows.eventWithTicketTypes(event, types));
  }

  private static <T> Future<T> endsBeforeStart(Throwable failure) {
    if (failure instanceof PgException pg && "23514".equals(pg.getSqlState())
        && "events_ends_after_start".equals(pg.getConstraint())) {
      return Future.failedFuture(ApiException.badRequest("invalid_request", "endsAt must be after startsAt", "endsAt"));
    }
    return Future.failedFuture(failure);
  }

  private static JsonObject page(RowSet<Row> rows, int limit) {
    JsonArray items = new JsonArray();
    Row last = null;
    int count = 0;
    for (Row row : rows) {
      if (count++ == limit) {
        break;
      }
      items.add(CatalogRows.event(row));
      last = row;
    }
    JsonObject page = new JsonObject().put("items", items);
    if (rows.size() > limit && last != null) {
      page.put("nextCursor", new Cursor(last.getOffsetDateTime("starts_at").toInstant(), last.getUUID("id")).encode());
    }
    return page;
  }

  private static void requireAfter(Instant start, Instant end, String endField) {
    if (!end.isAfter(start)) {
      throw ApiException.badRequest("invalid_request", endField + " must be after the start", endField);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  /** The public list's filters as one SQL statement and one canonical text (the cache key). */
  record EventListQuery(String canonical, String sql, Tuple parameters, int limit) {

    static EventListQuery of(RoutingContext ctx) {
      Instant from = Inputs.instant(Inputs.query(ctx, "from"), "from");
      Instant to = Inputs.instant(Inputs.query(ctx, "to"), "to");
      String category = Inputs.query(ctx, "category");
      String city = Inputs.query(ctx, "city");
      String text = Inputs.query(ctx, "q");
      String cursorText = Inputs.query(ctx, "cursor");
      Cursor cursor = cursorText == null ? null : Cursor.decode(cursorText);
      int limit = Inputs.queryInt(ctx, "limit", 20);

      StringBuilder sql = new StringBuilder("SELECT " + EVENT_COLUMNS + " FROM events e WHERE e.status = 'published'");
      List<Object> parameters = new ArrayList<>();
      if (from != null) {
        parameters.add(utc(from));
        sql.append(" AND e.starts_at >= $").append(parameters.size());
      }
      if (to != null) {
        parameters.add(utc(to));
        sql.append(" AND e.starts_at < $").append(parameters.size());
      }
      if (category != null) {
        parameters.add(category.toLowerCase(Locale.ROOT));
        sql.append(" AND lower(e.category) = $").append(parameters.size());
      }
      if (city != null) {
        parameters.add(city.toLowerCase(Locale.ROOT));
        sql.append(" AND lower(e.city) = $").append(parameters.size());
      }
      if (text != null) {
        parameters.add("%" + likeEscaped(text.toLowerCase(Locale.ROOT)) + "%");
        sql.append(" AND lower(e.title) LIKE $").append(parameters.size());
      }
      if (cursor != null) {
        parameters.add(utc(cursor.at()));
        parameters.add(cursor.id());
        sql.append(" AND (e.starts_at, e.id) > ($").append(parameters.size() - 1)
            .append(", $").append(parameters.size()).append(")");
      }
      parameters.add(limit + 1);
      sql.append(" ORDER BY e.starts_at, e.id LIMIT $").append(parameters.size());
      String canonical = new JsonObject().put("from", from == null ? null : from.toString())
          .put("to", to == null ? null : to.toString()).put("category", category).put("city", city)
          .put("q", text).put("cursor", cursorText).put("limit", limit).encode();
      return new EventListQuery(canonical, sql.toString(), Tuple.from(parameters), limit);
    }

    private static String likeEscaped(String text) {
      return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
  }
}
