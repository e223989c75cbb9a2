package dev.boxoffice.backend.checkin;

import dev.boxoffice.backend.auth.DoorScope;
import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.model.Event;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.codecs.session.Role;
import io.vertx.core.Future;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Who checks tickets in at an event: its organizer, and the door staff they granted it to (the caller's scope). */
final class DoorAccess {

  boolean mayCheckIn(Principal caller, String organizerEmail, UUID eventId) {
    return caller.hasRole(Role.ORGANIZER) && caller.email().equals(organizerEmail)
        || caller.hasRole(Role.STAFF) && caller.door().covers(organizerEmail, eventId);
  }

  /** Refuses a caller who is neither an organizer nor door staff, before anything is read. */
  Future<Void> requireDoorRole(Principal caller) {
    return caller.hasRole(Role.ORGANIZER) || caller.hasRole(Role.STAFF)
        ? Future.succeededFuture()
        : Future.failedFuture(new Refusal.NotAllowed("Only organizers and door staff check tickets in"));
  }

  Future<Event> requireDoorOf(Principal caller, Event event) {
    return mayCheckIn(caller, event.organizerEmail(), event.id())
        ? Future.succeededFuture(event)
        : Future.failedFuture(new Refusal.NotAllowed("You check tickets in for other events than this one"));
  }

  /** Where the caller checks tickets in: all events of their own and of the organizers they serve, and single ones. */
  DoorScope scopeOf(Principal caller) {
    Set<String> organizers = new TreeSet<>(caller.door().organizers());
    if (caller.hasRole(Role.ORGANIZER)) {
      organizers.add(caller.email());
    }
    return new DoorScope(organizers, caller.door().events());
  }
}
