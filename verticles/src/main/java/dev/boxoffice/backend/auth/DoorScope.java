package dev.boxoffice.backend.auth;

import java.util.Set;
import java.util.UUID;

/** Where a member of door staff checks tickets in: at every event of some organizers, and at some single events. */
public record DoorScope(Set<String> organizers, Set<UUID> events) {

  public static final DoorScope NONE = new DoorScope(Set.of(), Set.of());

  public DoorScope {
    organizers = Set.copyOf(organizers);
    events = Set.copyOf(events);
  }

  public boolean covers(String organizerEmail, UUID eventId) {
    return organizers.contains(organizerEmail) || events.contains(eventId);
  }

  public boolean isEmpty() {
    return organizers.isEmpty() && events.isEmpty();
  }
}
