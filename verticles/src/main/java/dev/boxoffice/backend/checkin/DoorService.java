package dev.boxoffice.backend.checkin;

import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.model.CheckInConflicts;
import dev.boxoffice.backend.model.DoorBundle;
import dev.boxoffice.backend.model.DoorTicketList;
import dev.boxoffice.backend.model.Event;
import dev.boxoffice.backend.model.Page;
import dev.boxoffice.backend.model.PageRequest;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.TicketValidity;
import dev.boxoffice.backend.store.DoorStore;
import dev.boxoffice.codecs.session.Role;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * What a door reads before and while it checks tickets: the events it may check in at, an event's bundle (what a scan
 * needs without the network) with its list of tickets that no longer admit, and, for the organizer, the conflicts
 * offline doors' scans turned up.
 */
public final class DoorService {

  private final DoorStore store;
  private final DoorAccess access;
  private final TicketKey ticketKey;
  private final Clock clock;

  /** Fails fast when {@code BOXOFFICE_TICKET_PUBLIC_KEY} is set but is not an Ed25519 public key PEM. */
  public DoorService(DoorStore store, Config config, Clock clock) {
    this.store = store;
    this.access = new DoorAccess();
    this.ticketKey = new TicketKey(config);
    this.clock = clock;
  }

  /** Published events the caller checks in at whose tickets still admit (ended less than six hours ago, or later). */
  public Future<Page<Event>> doorEvents(Principal caller, PageRequest page) {
    return access.requireDoorRole(caller).compose(allowed -> store.doorEvents(access.scopeOf(caller),
        clock.instant().minus(TicketValidity.AFTER_END), page));
  }

  public Future<DoorBundle> bundle(Principal caller, UUID eventId) {
    return access.requireDoorRole(caller)
        .compose(allowed -> store.eventWithTypes(eventId))
        .compose(detail -> access.requireDoorOf(caller, detail.event()).map(event -> new DoorBundle(event,
            detail.ticketTypes(), ticketKey.raw(), TicketValidity.of(event.startsAt(), event.endsAt()),
            clock.instant())));
  }

  /** One page of the event's cancelled and used tickets, by id, after {@code after}. */
  public Future<DoorTicketList> ticketsNotAdmitting(Principal caller, UUID eventId, Optional<UUID> after, int limit) {
    return access.requireDoorRole(caller)
        .compose(allowed -> store.event(eventId))
        .compose(event -> access.requireDoorOf(caller, event))
        .compose(event -> store.ticketsNotAdmitting(eventId, after, limit));
  }

  /** The event's organizer only: door staff scan, they do not audit. */
  public Future<CheckInConflicts> conflicts(Principal caller, UUID eventId, PageRequest page) {
    return store.event(eventId)
        .compose(event -> caller.hasRole(Role.ORGANIZER) && caller.email().equals(event.organizerEmail())
            ? store.conflicts(eventId, page)
            : Future.failedFuture(new Refusal.NotFound("No event " + eventId + " of yours")));
  }
}
