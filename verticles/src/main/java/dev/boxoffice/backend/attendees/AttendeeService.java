package dev.boxoffice.backend.attendees;

import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.model.Attendee;
import dev.boxoffice.backend.model.AttendeeFilter;
import dev.boxoffice.backend.model.CheckInCounts;
import dev.boxoffice.backend.model.Page;
import dev.boxoffice.backend.model.PageRequest;
import dev.boxoffice.backend.store.AttendeeStore;
import io.vertx.core.Future;
import java.util.UUID;
import java.util.function.Consumer;

/** An organizer's attendee list, its export in pages, and the live check-in counts of their events. */
public final class AttendeeService {

  /** Tickets a CSV export reads per query: large enough to be few round trips, small enough to stream. */
  public static final int EXPORT_PAGE_SIZE = 1000;

  private final AttendeeStore store;
  private final CheckInWatch watch;

  public AttendeeService(AttendeeStore store, CheckInWatch watch) {
    this.store = store;
    this.watch = watch;
  }

  public Future<Page<Attendee>> attendees(Principal organizer, UUID eventId, AttendeeFilter filter,
                                          PageRequest page) {
    return store.requireOwnEvent(eventId, organizer.email())
        .compose(own -> store.attendees(eventId, filter, page));
  }

  /** The next page of an export already allowed by {@link #requireOwnEvent}. */
  public Future<Page<Attendee>> exportPage(UUID eventId, AttendeeFilter filter, PageRequest page) {
    return store.attendees(eventId, filter, page);
  }

  public Future<Void> requireOwnEvent(Principal organizer, UUID eventId) {
    return store.requireOwnEvent(eventId, organizer.email());
  }

  /**
   * Calls {@code listener} with the event's counts now and whenever they change, until the returned stop is run.
   */
  public Future<Runnable> watchCheckIns(Principal organizer, UUID eventId, Consumer<CheckInCounts> listener) {
    return store.requireOwnEvent(eventId, organizer.email()).map(own -> watch.subscribe(eventId, listener));
  }
}
