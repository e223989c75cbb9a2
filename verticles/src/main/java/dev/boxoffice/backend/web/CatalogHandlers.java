package dev.boxoffice.backend.web;

import dev.boxoffice.backend.cache.ResponseCache;
import dev.boxoffice.backend.catalog.CatalogService;
import dev.boxoffice.backend.model.Event;
import dev.boxoffice.backend.model.EventChanges;
import dev.boxoffice.backend.model.EventFilter;
import dev.boxoffice.backend.model.NewEvent;
import dev.boxoffice.backend.model.NewTicketType;
import dev.boxoffice.backend.model.PageRequest;
import dev.boxoffice.backend.model.TicketTypeChanges;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.UUID;

/**
 * The catalog's routes: each parses its request, calls the {@link CatalogService} and answers. The public reads go
 * through the {@link ResponseCache}, which keeps their encoded pages.
 */
public final class CatalogHandlers {

  private final CatalogService catalog;
  private final ResponseCache cache;

  public CatalogHandlers(CatalogService catalog, ResponseCache cache) {
    this.catalog = catalog;
    this.cache = cache;
  }

  void listEvents(RoutingContext ctx) {
    EventFilter filter = eventFilter(ctx);
    PageRequest page = Inputs.page(ctx);
    cache.eventList(listKey(ctx, filter, page), () -> catalog.publishedEvents(filter, page)
            .map(events -> Representations.page(events, Representations::event).encode()))
        .onSuccess(events -> Replies.json(ctx, 200, events))
        .onFailure(ctx::fail);
  }

  void getEvent(RoutingContext ctx) {
    UUID eventId = Inputs.pathId(ctx, "eventId");
    cache.eventDetail(eventId, () -> catalog.publicEvent(eventId)
            .map(event -> Representations.eventDetail(event).encode()))
        .onSuccess(event -> Replies.json(ctx, 200, event))
        .onFailure(ctx::fail);
  }

  /** Not from the response cache: a calendar file is fetched once per attendee, not in a rush. */
  void getEventCalendar(RoutingContext ctx) {
    UUID eventId = Inputs.pathId(ctx, "eventId");
    catalog.publicEvent(eventId)
        .onSuccess(detail -> ctx.response()
            .putHeader(HttpHeaders.CONTENT_TYPE, EventCalendar.MEDIA_TYPE)
            .putHeader(HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename=\"" + EventCalendar.fileName(detail.event()) + "\"")
            .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
            .end(EventCalendar.of(detail.event(), Origins.of(ctx) + "/events/" + eventId, Instant.now())))
        .onFailure(ctx::fail);
  }

  void listMyEvents(RoutingContext ctx) {
    PageRequest page = Inputs.page(ctx);
    catalog.eventsOf(Sessions.principal(ctx), page)
        .onSuccess(events -> Replies.json(ctx, 200, Representations.page(events, Representations::event)))
        .onFailure(ctx::fail);
  }

  void createEvent(RoutingContext ctx) {
    NewEvent event = newEvent(Inputs.body(ctx));
    catalog.createEvent(Sessions.principal(ctx), event)
        .onSuccess(created -> Replies.json(ctx, 201, Representations.eventDetail(created)))
        .onFailure(ctx::fail);
  }

  void updateEvent(RoutingContext ctx) {
    UUID eventId = Inputs.pathId(ctx, "eventId");
    EventChanges changes = eventChanges(Inputs.body(ctx));
    catalog.updateEvent(Sessions.principal(ctx), eventId, changes)
        .onSuccess(event -> Replies.json(ctx, 200, Representations.eventDetail(event)))
        .onFailure(ctx::fail);
  }

  void publishEvent(RoutingContext ctx) {
    UUID eventId = Inputs.pathId(ctx, "eventId");
    catalog.publish(Sessions.principal(ctx), eventId)
        .onSuccess(event -> Replies.json(ctx, 200, Representations.eventDetail(event)))
        .onFailure(ctx::fail);
  }

  void cancelEvent(RoutingContext ctx) {
    UUID eventId = Inputs.pathId(ctx, "eventId");
    catalog.cancel(Sessions.principal(ctx), eventId)
        .onSuccess(event -> Replies.json(ctx, 200, Representations.eventDetail(event)))
        .onFailure(ctx::fail);
  }

  void getEventSummary(RoutingContext ctx) {
    UUID eventId = Inputs.pathId(ctx, "eventId");
    catalog.summary(Sessions.principal(ctx), eventId)
        .onSuccess(summary -> Replies.json(ctx, 200, Representations.summary(summary)))
        .onFailure(ctx::fail);
  }

  void createTicketType(RoutingContext ctx) {
    UUID eventId = Inputs.pathId(ctx, "eventId");
    NewTicketType ticketType = newTicketType(Inputs.body(ctx));
    catalog.addTicketType(Sessions.principal(ctx), eventId, ticketType)
        .onSuccess(added -> Replies.json(ctx, 201, Representations.ticketType(added)))
        .onFailure(ctx::fail);
  }

  void updateTicketType(RoutingContext ctx) {
    UUID ticketTypeId = Inputs.pathId(ctx, "ticketTypeId");
    JsonObject body = Inputs.body(ctx);
    TicketTypeChanges changes = new TicketTypeChanges(body.getInteger("capacity"),
        body.getBoolean("salesClosed", false));
    catalog.updateTicketType(Sessions.principal(ctx), ticketTypeId, changes)
        .onSuccess(changed -> Replies.json(ctx, 200, Representations.ticketType(changed)))
        .onFailure(ctx::fail);
  }

  private static NewEvent newEvent(JsonObject body) {
    Instant startsAt = Inputs.instant(body.getString("startsAt"), "startsAt");
    Instant endsAt = Inputs.instant(body.getString("endsAt"), "endsAt");
    Inputs.requireAfter(startsAt, endsAt, "endsAt");
    return new NewEvent(body.getString("title"), body.getString("description", ""), body.getString("category"),
        body.getString("venue"), body.getString("city"), startsAt, endsAt,
        Inputs.timeZone(body.getString("timeZone"), "timeZone"), body.getString("imageKey"),
        body.getInteger("holdMinutes", Event.DEFAULT_HOLD_MINUTES), body.getInteger("maxTicketsPerBuyer"));
  }

  private static EventChanges eventChanges(JsonObject body) {
    Instant startsAt = Inputs.instant(body.getString("startsAt"), "startsAt");
    Instant endsAt = Inputs.instant(body.getString("endsAt"), "endsAt");
    return new EventChanges(body.getString("title"), body.getString("description"), body.getString("category"),
        body.getString("venue"), body.getString("city"), startsAt, endsAt,
        Inputs.timeZone(body.getString("timeZone"), "timeZone"), body.getString("imageKey"),
        body.getInteger("holdMinutes"), body.getInteger("maxTicketsPerBuyer"),
        body.containsKey("maxTicketsPerBuyer") && body.getValue("maxTicketsPerBuyer") == null);
  }

  private static NewTicketType newTicketType(JsonObject body) {
    Instant salesStart = Inputs.instant(body.getString("salesStart"), "salesStart");
    Instant salesEnd = Inputs.instant(body.getString("salesEnd"), "salesEnd");
    Inputs.requireAfter(salesStart, salesEnd, "salesEnd");
    return new NewTicketType(body.getString("name"), body.getLong("priceMinor"), body.getString("currency"),
        body.getInteger("capacity"), salesStart, salesEnd, body.getInteger("maxPerOrder"));
  }

  private static EventFilter eventFilter(RoutingContext ctx) {
    return new EventFilter(Inputs.instant(Inputs.query(ctx, "from"), "from"),
        Inputs.instant(Inputs.query(ctx, "to"), "to"), Inputs.query(ctx, "category"), Inputs.query(ctx, "city"),
        Inputs.query(ctx, "q"));
  }

  /** The canonical text of a list request, the key of its cached page: its filters, cursor as sent, and limit. */
  private static String listKey(RoutingContext ctx, EventFilter filter, PageRequest page) {
    return new JsonObject().put("from", filter.from() == null ? null : filter.from().toString())
        .put("to", filter.to() == null ? null : filter.to().toString()).put("category", filter.category())
        .put("city", filter.city()).put("q", filter.text()).put("cursor", Inputs.query(ctx, "cursor"))
        .put("limit", page.limit()).encode();
  }
}
