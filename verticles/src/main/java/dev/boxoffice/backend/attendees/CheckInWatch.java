package dev.boxoffice.backend.attendees;

import dev.boxoffice.backend.model.CheckInCounts;
import dev.boxoffice.backend.store.AttendeeStore;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live check-in counts for the streams of this backend. A check-in may be written by any backend, so the truth is
 * PostgreSQL's: one poller per watched event on this backend reads the event's two counts every
 * {@code intervalMs} (one index-only query, shared by every stream of that event here) and tells the streams when
 * they changed. N backends with streams open on E events cost N x E small queries a second, and nothing while no
 * one watches.
 */
public final class CheckInWatch {

  private static final Logger LOG = LoggerFactory.getLogger(CheckInWatch.class);

  private final Vertx vertx;
  private final AttendeeStore store;
  private final long intervalMs;
  private final Map<UUID, Poller> pollers = new ConcurrentHashMap<>();

  public CheckInWatch(Vertx vertx, AttendeeStore store, long intervalMs) {
    this.vertx = vertx;
    this.store = store;
    this.intervalMs = intervalMs;
  }

  /** Starts telling {@code listener} the counts (at once, then on each change); the result stops it. */
  Runnable subscribe(UUID eventId, Consumer<CheckInCounts> listener) {
    Poller poller = pollers.compute(eventId, (id, existing) -> {
      Poller chosen = existing == null ? new Poller(id) : existing;
      chosen.listeners.add(listener);
      return chosen;
    });
    CheckInCounts known = poller.last;
    if (known != null) {
      listener.accept(known);
    }
    return () -> pollers.computeIfPresent(eventId, (id, existing) -> {
      existing.listeners.remove(listener);
      if (existing.listeners.isEmpty()) {
        vertx.cancelTimer(existing.timer);
        return null;
      }
      return existing;
    });
  }

  private final class Poller {
    private final UUID eventId;
    private final Set<Consumer<CheckInCounts>> listeners = new CopyOnWriteArraySet<>();
    private final long timer;
    private volatile CheckInCounts last;
    private boolean reading;

    Poller(UUID eventId) {
      this.eventId = eventId;
      this.timer = vertx.setPeriodic(0, intervalMs, tick -> read());
    }

    private void read() {
      if (reading) {
        return;
      }
      reading = true;
      store.counts(eventId)
          .onSuccess(counts -> {
            if (!counts.equals(last)) {
              last = counts;
              listeners.forEach(listener -> listener.accept(counts));
            }
          })
          .onFailure(failure -> LOG.warn("check-in counts of event {} not read: {}", eventId, failure.toString()))
          .onComplete(done -> reading = false);
    }
  }
}
