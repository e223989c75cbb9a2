package dev.boxoffice.backend.catalog;

import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.cache.ResponseCache;
import dev.boxoffice.backend.cache.SoldOutFlags;
import dev.boxoffice.backend.model.Event;
import dev.boxoffice.backend.model.EventChanges;
import dev.boxoffice.backend.model.EventDetail;
import dev.boxoffice.backend.model.EventFilter;
import dev.boxoffice.backend.model.EventSummary;
import dev.boxoffice.backend.model.NewEvent;
import dev.boxoffice.backend.model.NewTicketType;
import dev.boxoffice.backend.model.Page;
import dev.boxoffice.backend.model.PageRequest;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.TicketType;
import dev.boxoffice.backend.model.TicketTypeChanges;
import dev.boxoffice.backend.store.CancelledOrder;
import dev.boxoffice.backend.store.CatalogStore;
import dev.boxoffice.backend.store.CatalogTransaction;
import dev.boxoffice.codecs.events.DomainEvent;
import dev.boxoffice.codecs.events.EventCancelled;
import dev.boxoffice.codecs.events.EventPublished;
import dev.boxoffice.codecs.events.OrderCancelled;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Events and ticket types. Organizers write their own (another organizer's event is as unknown as a missing one);
 * anyone reads published ones. Every committed change is announced to the response cache before it is answered,
 * so the next public read sees it.
 */
public final class CatalogService {

  private final CatalogStore store;
  private final ResponseCache cache;
  private final SoldOutFlags soldOutFlags;

  public CatalogService(CatalogStore store, ResponseCache cache, SoldOutFlags soldOutFlags) {
    this.store = store;
    this.cache = cache;
    this.soldOutFlags = soldOutFlags;
  }

  /** A draft: nobody else sees it, so nothing cached changes. */
  public Future<EventDetail> createEvent(Principal organizer, NewEvent event) {
    return store.insertEvent(organizer.email(), event).map(created -> new EventDetail(created, List.of()));
  }

  public Future<EventDetail> updateEvent(Principal organizer, UUID eventId, EventChanges changes) {
    return store.inTransaction(tx -> tx.lockOwnEvent(eventId, organizer.email())
            .compose(event -> event.status() == Event.Status.CANCELLED
                ? Future.<Event>failedFuture(new Refusal.EventCancelled("A cancelled event cannot change"))
                : tx.update(eventId, changes))
            .compose(tx::withTicketTypes))
        .compose(this::invalidate);
  }

  /** Publishing a published event changes nothing and answers it as it is. */
  public Future<EventDetail> publish(Principal organizer, UUID eventId) {
    return store.inTransaction(tx -> tx.lockOwnEvent(eventId, organizer.email())
            .compose(event -> switch (event.status()) {
              case PUBLISHED -> tx.withTicketTypes(event);
              case CANCELLED -> Future.failedFuture(
                  new Refusal.EventCancelled("A cancelled event cannot be published"));
              case DRAFT -> publishDraft(tx, event);
            }))
        .compose(this::invalidate);
  }

  /**
   * Cancelling an event cancels its placed orders and voids their tickets, each order with its OrderCancelled;
   * cancelling a cancelled event changes nothing.
   */
  public Future<EventDetail> cancel(Principal organizer, UUID eventId) {
    return store.inTransaction(tx -> tx.lockOwnEventAndTicketTypes(eventId, organizer.email())
            .compose(event -> event.status() == Event.Status.CANCELLED
                ? tx.withTicketTypes(event)
                : cancelWithOrders(tx, event, organizer)))
        .compose(this::invalidate);
  }

  public Future<EventDetail> publicEvent(UUID eventId) {
    return store.publicEvent(eventId);
  }

  public Future<Page<Event>> publishedEvents(EventFilter filter, PageRequest page) {
    return store.publishedEvents(filter, page);
  }

  /** Not cached: it is one organizer's working view and must show their drafts the moment they change. */
  public Future<Page<Event>> eventsOf(Principal organizer, PageRequest page) {
    return store.eventsOf(organizer.email(), page);
  }

  public Future<EventSummary> summary(Principal organizer, UUID eventId) {
    return store.summary(eventId, organizer.email());
  }

  public Future<TicketType> addTicketType(Principal organizer, UUID eventId, NewTicketType ticketType) {
    return store.inTransaction(tx -> tx.lockOwnEvent(eventId, organizer.email())
            .compose(event -> event.status() == Event.Status.CANCELLED
                ? Future.<TicketType>failedFuture(new Refusal.EventCancelled("A cancelled event gets no ticket types"))
                : tx.insertTicketType(eventId, ticketType)))
        .compose(added -> cache.eventChanged(eventId).map(added));
  }

  /** Capacity may go up or down but never below what is sold; closing sales is for good. */
  public Future<TicketType> updateTicketType(Principal organizer, UUID ticketTypeId, TicketTypeChanges changes) {
    return store.inTransaction(tx -> tx.lockOwnTicketType(ticketTypeId, organizer.email())
            .compose(current -> change(tx, current, changes)))
        .compose(this::capacityChanged);
  }

  private static Future<EventDetail> publishDraft(CatalogTransaction tx, Event draft) {
    return tx.setStatus(draft.id(), Event.Status.PUBLISHED)
        .compose(published -> appendPublished(tx, published));
  }

  private static Future<EventDetail> appendPublished(CatalogTransaction tx, Event published) {
    EventPublished event = new EventPublished(UUID.randomUUID(), Instant.now(), published.id(),
        published.organizerEmail(), published.title(), published.category(), published.city(), published.startsAt(),
        published.endsAt(), published.timeZone());
    return tx.append(List.of(event)).compose(appended -> tx.withTicketTypes(published));
  }

  private static Future<EventDetail> cancelWithOrders(CatalogTransaction tx, Event event, Principal organizer) {
    return tx.setStatus(event.id(), Event.Status.CANCELLED)
        .compose(cancelled -> appendCancelled(tx, cancelled, organizer));
  }

  /** EventCancelled first, then one OrderCancelled per order the cancellation voided. */
  private static Future<EventDetail> appendCancelled(CatalogTransaction tx, Event cancelled, Principal organizer) {
    return tx.cancelOrdersOf(cancelled.id())
        .compose(orders -> tx.append(cancellationEvents(cancelled, orders, organizer)))
        .compose(appended -> tx.withTicketTypes(cancelled));
  }

  private static List<DomainEvent> cancellationEvents(Event cancelled, List<CancelledOrder> orders,
                                                      Principal organizer) {
    Instant now = Instant.now();
    List<DomainEvent> events = new ArrayList<>(orders.size() + 1);
    events.add(new EventCancelled(UUID.randomUUID(), now, cancelled.id(), organizer.email()));
    for (CancelledOrder order : orders) {
      events.add(new OrderCancelled(UUID.randomUUID(), now, order.orderId(), order.eventId(), order.ticketTypeId(),
          order.buyerEmail(), order.ticketIds(), organizer.email()));
    }
    return events;
  }

  private static Future<TicketType> change(CatalogTransaction tx, TicketType current, TicketTypeChanges changes) {
    int capacity = changes.capacity() == null ? current.capacity() : changes.capacity();
    if (capacity < current.sold()) {
      return Future.failedFuture(new Refusal.CapacityBelowSold(current.sold()));
    }
    return tx.updateTicketType(current.id(), capacity, current.salesClosed() || changes.closeSales());
  }

  /** Returned capacity may end a sold-out: the flag goes, and the event's page reloads. */
  private Future<TicketType> capacityChanged(TicketType changed) {
    return soldOutFlags.clear(changed.id())
        .compose(cleared -> cache.eventChanged(changed.eventId()))
        .map(changed);
  }

  private Future<EventDetail> invalidate(EventDetail changed) {
    return cache.eventChanged(changed.event().id()).map(changed);
  }
}
