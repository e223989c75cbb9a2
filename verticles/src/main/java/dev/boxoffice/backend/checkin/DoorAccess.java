package dev.boxoffice.backend.checkin;

import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.model.Event;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.codecs.session.Role;
import io.vertx.core.Future;
import java.util.Set;
import java.util.TreeSet;

/** Who checks tickets in at an event: its organizer, and the door staff {@code BOXOFFICE_DOOR_STAFF_EMAILS} names. */
final class DoorAccess {

  private final Config.Auth auth;

  DoorAccess(Config.Auth auth) {
    this.auth = auth;
  }

  boolean mayCheckIn(Principal caller, String organizerEmail) {
    return caller.hasRole(Role.ORGANIZER) && caller.email().equals(organizerEmail)
        || caller.hasRole(Role.STAFF) && auth.isDoorStaffOf(caller.email(), organizerEmail);
  }

  /** Refuses a caller who is neither an organizer nor door staff, before anything is read. */
  Future<Void> requireDoorRole(Principal caller) {
    return caller.hasRole(Role.ORGANIZER) || caller.hasRole(Role.STAFF)
        ? Future.succeededFuture()
        : Future.failedFuture(new Refusal.NotAllowed("Only organizers and door staff check tickets in"));
  }

  Future<Event> requireDoorOf(Principal caller, Event event) {
    return mayCheckIn(caller, event.organizerEmail())
        ? Future.succeededFuture(event)
        : Future.failedFuture(new Refusal.NotAllowed("You check tickets in for other events than this one"));
  }

  /** The organizers whose events the caller checks tickets in at: their own, and those they are door staff of. */
  Set<String> organizersServedBy(Principal caller) {
    Set<String> served = new TreeSet<>();
    if (caller.hasRole(Role.ORGANIZER)) {
      served.add(caller.email());
    }
    if (caller.hasRole(Role.STAFF)) {
      served.addAll(auth.organizersServedBy(caller.email()));
    }
    return served;
  }
}
