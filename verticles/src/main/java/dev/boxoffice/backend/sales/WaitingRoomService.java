package dev.boxoffice.backend.sales;

import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.cache.SoldOutFlags;
import dev.boxoffice.backend.cache.WaitingLine;
import dev.boxoffice.backend.model.QueueStatus;
import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.WaitingRoom;
import dev.boxoffice.backend.store.WaitingRoomStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The waiting room of an on-sale. A buyer who arrives before the opening gets a place drawn uniformly at random by a
 * CSPRNG below 2^52; ranking everyone by such draws is a uniform shuffle of the pre-queue, decided by nothing about
 * when or how fast they came. Who arrives later gets 2^52 plus their arrival's microsecond: first come, first served,
 * behind the whole pre-queue. The line lives in Redis ({@link WaitingLine}), every place also in PostgreSQL; when
 * Redis loses the line it is rebuilt from PostgreSQL before anyone else is admitted, and while Redis cannot be reached
 * the room answers "paused" and admits nobody. Admissions last the room's admission window; one that runs out unused
 * sends its buyer to the back. Re-opening a room whose opening has passed (a second on-sale of the event) starts a
 * fresh line: the old places are dropped with the change, and the line in Redis, built for the old opening, is
 * rebuilt for the new one; moving an opening that has not come yet keeps the pre-queue.
 *
 * <p>At an on-sale tens of thousands arrive within seconds. A backend takes at most {@code maxInFlight} visits at a
 * time; beyond, and when the Redis or PostgreSQL client says its queue is full, the visit is not made and the visitor
 * is told the room is busy and to come back in 1 to 5 s (drawn, so that the shed do not return together). That keeps
 * the clients' queues short, so that a saturated backend is not mistaken for a lost Redis (which pauses the room for
 * everyone). The busy answer carries an arrival ticket: a visitor shed before the opening who comes back with it,
 * before or after the opening, draws as the pre-queue did and loses nothing; one whose turn has passed by then is let
 * in at once.
 */
public final class WaitingRoomService {

  private static final long SHUFFLED_BELOW = 1L << 52;
  private static final Duration ROOM_CACHED_FOR = Duration.ofSeconds(5);
  private static final Duration SOLD_OUT_CHECKED_FOR = Duration.ofSeconds(2);
  /** Visits a backend makes at once unless told otherwise: see docs/fairness.md for the arithmetic. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 128;
  private static final int RETRY_AFTER_MIN_SECONDS = 1;
  private static final int RETRY_AFTER_MAX_SECONDS = 5;

  private record Cached(Optional<WaitingRoom> room, Instant until) {
  }

  /** The last sold-out answer for one event on this backend, until when it holds, and whether a check is under way. */
  private static final class SoldOutCheck {
    private volatile boolean soldOut;
    private volatile Instant until = Instant.MIN;
    private final AtomicBoolean checking = new AtomicBoolean();
  }

  private final WaitingRoomStore store;
  private final WaitingLine line;
  private final SoldOutFlags soldOutFlags;
  private final Admissions admissions;
  private final Clock clock;
  private final int maxInFlight;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Counter shedOverInFlight;
  private final Counter shedClientSaturated;
  private final SecureRandom random = new SecureRandom();
  // Every poll needs the room's settings; reading them every few seconds per backend keeps polls off PostgreSQL.
  private final Map<UUID, Cached> rooms = new ConcurrentHashMap<>();
  private final Map<UUID, SoldOutCheck> soldOutChecks = new ConcurrentHashMap<>();

  public WaitingRoomService(WaitingRoomStore store, WaitingLine line, SoldOutFlags soldOutFlags, Admissions admissions,
                            Clock clock, int maxInFlight, MeterRegistry metrics) {
    this.store = store;
    this.line = line;
    this.soldOutFlags = soldOutFlags;
    this.admissions = admissions;
    this.clock = clock;
    this.maxInFlight = maxInFlight;
    this.shedOverInFlight = shedCounter("in_flight", metrics);
    this.shedClientSaturated = shedCounter("client_saturated", metrics);
    Gauge.builder("boxoffice.waiting.room.visits.in.flight", inFlight, AtomicInteger::get)
        .description("Queue visits this backend is making now").register(metrics);
  }

  /** Turns the waiting room of the organizer's event on (or changes it). */
  public Future<WaitingRoom> open(Principal organizer, WaitingRoom room) {
    return store.put(organizer.email(), room).onSuccess(saved -> rooms.remove(saved.eventId()));
  }

  public Future<WaitingRoom> room(UUID eventId) {
    Cached cached = rooms.get(eventId);
    Future<Optional<WaitingRoom>> found = cached != null && cached.until().isAfter(clock.instant())
        ? Future.succeededFuture(cached.room())
        : store.room(eventId).onSuccess(room -> rooms.put(eventId, new Cached(room,
            clock.instant().plus(ROOM_CACHED_FOR))));
    return found.compose(room -> room.map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new Refusal.NotFound("No waiting room for event " + eventId))));
  }

  /**
   * The buyer's place: joined on the first visit, then where they stand, and their admission when it is their turn;
   * {@link Refusal.WaitingRoomBusy} when this backend takes no more visits now.
   */
  public Future<QueueStatus> visit(Principal buyer, UUID eventId, String arrivalTicket) {
    Instant now = clock.instant();
    Instant arrived = admissions.arrivedAt(arrivalTicket, eventId, buyer.email(), now).orElse(now);
    if (inFlight.incrementAndGet() > maxInFlight) {
      inFlight.decrementAndGet();
      return busy(shedOverInFlight, eventId, buyer.email(), arrived);
    }
    return room(eventId).compose(room -> soldOut(eventId).compose(soldOut -> look(room, buyer.email(), arrived, true)
            .map(status -> soldOut ? status.atSoldOutSale() : status)))
        .recover(failure -> saturated(failure) ? busy(shedClientSaturated, eventId, buyer.email(), arrived)
            : Future.failedFuture(failure))
        .onComplete(done -> inFlight.decrementAndGet());
  }

  /**
   * Whether every ticket type of the event is flagged sold out, asked of PostgreSQL (the event's ticket types) and
   * Redis (their flags) at most every {@link #SOLD_OUT_CHECKED_FOR} per backend and event; the visits meanwhile take
   * the last answer. Anything failing counts as not sold out: the flags are only ever a shortcut, and the purchase
   * decides.
   */
  private Future<Boolean> soldOut(UUID eventId) {
    SoldOutCheck check = soldOutChecks.computeIfAbsent(eventId, id -> new SoldOutCheck());
    if (check.until.isAfter(clock.instant()) || !check.checking.compareAndSet(false, true)) {
      return Future.succeededFuture(check.soldOut);
    }
    return store.ticketTypeIds(eventId).compose(soldOutFlags::allSoldOut).otherwise(false)
        .onComplete(checked -> {
          check.soldOut = checked.succeeded() && checked.result();
          check.until = clock.instant().plus(SOLD_OUT_CHECKED_FOR);
          check.checking.set(false);
        });
  }

  private static Counter shedCounter(String reason, MeterRegistry metrics) {
    return Counter.builder("boxoffice.waiting.room.shed.visits").tag("reason", reason)
        .description("Queue visits answered 503 waiting_room_busy: over the backend's visits in flight, or a client's"
            + " queue full")
        .register(metrics);
  }

  /** Shed: come back in 1 to 5 s, with a ticket that keeps the arrival this visit (or an earlier shed one) made. */
  private <T> Future<T> busy(Counter reason, UUID eventId, String buyer, Instant arrived) {
    reason.increment();
    return Future.failedFuture(new Refusal.WaitingRoomBusy(
        ThreadLocalRandom.current().nextInt(RETRY_AFTER_MIN_SECONDS, RETRY_AFTER_MAX_SECONDS + 1),
        admissions.arrivalTicket(eventId, buyer, arrived)));
  }

  /**
   * Whether a client refused for want of room in its queue (the Redis or PostgreSQL pool's wait queue, a Redis
   * connection's pipeline): the dependency answers, this backend asks too much of it at once.
   */
  static boolean saturated(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      // Vert.x's pools (Redis's and PostgreSQL's) refuse with a ConnectionPoolTooBusyException, which lives in its
      // http package although it is about any pool: named, not imported, so that HTTP stays in the web layer.
      if (cause.getClass().getSimpleName().equals("ConnectionPoolTooBusyException")
          || cause.getMessage() != null && cause.getMessage().contains("waiting queue is full")) {
        return true;
      }
    }
    return false;
  }

  /** A Redis failure: busy when the client was saturated, else the line is out of reach and the room pauses. */
  private static <T> Future<T> lineUnreachable(Throwable failure) {
    return Future.failedFuture(saturated(failure) ? failure : new Refusal.WaitingRoomPaused());
  }

  private Future<QueueStatus> look(WaitingRoom room, String buyer, Instant arrived, boolean mayJoin) {
    return line.visit(room.eventId(), buyer, room.opensAt().toEpochMilli(), room.admitPerMinute(),
            room.admissionWindow().toMillis())
        .recover(WaitingRoomService::lineUnreachable)
        .compose(visit -> switch (visit.state()) {
          case UNBUILT -> rebuildThenLook(room, buyer, arrived, mayJoin);
          case OTHER_OPENING -> otherOpening(room, buyer, arrived, mayJoin);
          case UNKNOWN -> mayJoin ? join(room, buyer, arrived) : Future.succeededFuture(paused(room));
          case WAITING -> Future.succeededFuture(waiting(room, visit));
          case ADMITTED_NOW -> store.admitted(room.eventId(), buyer, Instant.ofEpochMilli(visit.nowMillis()))
              .map(recorded -> admitted(room, buyer, visit.rank() + 1, Instant.ofEpochMilli(visit.nowMillis())));
          case ADMITTED ->
              Future.succeededFuture(admitted(room, buyer, visit.rank() + 1,
                  Instant.ofEpochMilli(visit.admittedAtMillis())));
          case ADMISSION_RAN_OUT -> toTheBack(room, buyer);
        });
  }

  private Future<QueueStatus> rebuildThenLook(WaitingRoom room, String buyer, Instant arrived, boolean mayJoin) {
    return rebuild(room).compose(built -> built ? look(room, buyer, arrived, mayJoin)
        : Future.succeededFuture(paused(room)));
  }

  /**
   * The line in Redis is of another opening than {@code room}'s: the organizer re-opened or moved the room, and
   * either this backend's copy of it (cached for a few seconds) or the line has not caught up. The room as recorded
   * now says which: the line is rebuilt for it (for a new on-sale, from an emptied record: a fresh line) or this
   * backend looks again with it.
   */
  private Future<QueueStatus> otherOpening(WaitingRoom room, String buyer, Instant arrived, boolean mayJoin) {
    rooms.remove(room.eventId());
    return room(room.eventId()).compose(current -> current.opensAt().toEpochMilli() == room.opensAt().toEpochMilli()
        ? rebuildThenLook(current, buyer, arrived, mayJoin)
        : look(current, buyer, arrived, mayJoin));
  }

  /**
   * A new place, or (after Redis lost the line) the recorded one, put back in the line. The place counts from the
   * buyer's arrival: now, or when a visit of theirs was shed (their arrival ticket).
   */
  private Future<QueueStatus> join(WaitingRoom room, String buyer, Instant arrived) {
    Instant now = clock.instant();
    return store.join(room.eventId(), buyer, score(room, arrived)).compose(place -> {
      if (place.admittedAt() == null) {
        return line.add(room.eventId(), buyer, place.score(), room.admitPerMinute())
            .recover(WaitingRoomService::lineUnreachable)
            .compose(added -> look(room, buyer, arrived, false));
      }
      return place.admittedAt().plus(room.admissionWindow()).isAfter(now)
          ? Future.succeededFuture(admitted(room, buyer, 0, place.admittedAt()))
          : toTheBack(room, buyer);
    });
  }

  /**
   * A new place's score: a draw below 2^52 for an arrival before the opening, else the arrival's microsecond above it.
   * Joining after the opening with an arrival before it (shed then, back now with the ticket), the buyer draws as the
   * pre-queue did, and a draw whose turn has passed is let in at once, the line paying the turn back
   * ({@link WaitingLine#add}): where they would stand, had they not been shed. Before, such a draw was put next in
   * line, each newcomer ahead of the one before: among those shed past the opening, the last back came first.
   * Drawing among the places still to come instead would put who was shed earliest (the first to arrive, at a backend
   * still cold) later on average: a load run measured Spearman's rho -0.25 that way.
   */
  private long score(WaitingRoom room, Instant arrived) {
    return arrived.isBefore(room.opensAt()) ? random.nextLong(SHUFFLED_BELOW) : atTheBack(arrived);
  }

  private Future<QueueStatus> toTheBack(WaitingRoom room, String buyer) {
    long score = atTheBack(clock.instant());
    return store.requeued(room.eventId(), buyer, score)
        .compose(recorded -> line.requeue(room.eventId(), buyer, score)
            .compose(requeued -> line.add(room.eventId(), buyer, score, room.admitPerMinute()))
            .recover(WaitingRoomService::lineUnreachable))
        .compose(added -> look(room, buyer, clock.instant(), false));
  }

  /**
   * Rebuilds the line for the room's opening from everyone still waiting, read after this backend claimed the
   * rebuild; false when another backend has it or it is built already. Until it is built, the room is paused and
   * admits nobody.
   */
  private Future<Boolean> rebuild(WaitingRoom room) {
    long opening = room.opensAt().toEpochMilli();
    return line.claimRebuild(room.eventId(), opening)
        .compose(claimed -> !claimed ? Future.succeededFuture(false) : store.waiting(room.eventId())
            .compose(waiting -> {
              Map<String, Double> places = new HashMap<>();
              waiting.forEach(place -> places.put(place.buyerEmail(), place.score()));
              return line.rebuild(room.eventId(), opening, places);
            })
            .map(true))
        .recover(failure -> failure instanceof Refusal ? Future.failedFuture(failure) : lineUnreachable(failure));
  }

  private QueueStatus waiting(WaitingRoom room, WaitingLine.Visit visit) {
    long untilTurn = Math.max(0, visit.turnAtMillis(room.admitPerMinute()) - visit.nowMillis());
    return new QueueStatus(QueueStatus.State.WAITING, visit.rank() + 1, room.opensAt(), visit.ahead(),
        (untilTurn + 999) / 1000, pollAfterMillis(untilTurn), null, null, false);
  }

  /**
   * When a waiting buyer should ask again, {@code untilTurn} ms before their turn comes at the earliest: within 4 s of
   * it, at it (50 ms after, at least 0.5 s from now); further off, halfway to it, 2-30 s. The cursor moves at the set
   * rate, so the estimate is exact unless a later draw or a passed turn pushes it back, and then the buyer is told
   * the new one. So a buyer hears of their turn within a round trip of it, whenever they arrived and however often
   * they polled before: with polls at whole seconds, 2 s apart near the turn, a buyer heard up to 2 s late, at a
   * phase set by when they arrived (docs/fairness.md has the load runs and a model). 50,000 in line for 50 s (60,000
   * let in a minute) make about 6 visits each, the join included, where a poll at a tenth of the wait made 13: 6,000
   * visits a second while the line lasts, not 13,000.
   */
  static long pollAfterMillis(long untilTurn) {
    if (untilTurn <= 4_000) {
      return Math.max(500, untilTurn + 50);
    }
    return Math.max(2_000, Math.min(30_000, untilTurn / 2));
  }

  private QueueStatus admitted(WaitingRoom room, String buyer, long place, Instant admittedAt) {
    Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt = admittedAt.plus(room.admissionWindow()).truncatedTo(ChronoUnit.SECONDS);
    if (!expiresAt.isAfter(issuedAt)) {
      expiresAt = issuedAt.plusSeconds(1);
    }
    String admission = admissions.issue(room.eventId(), buyer, issuedAt, expiresAt);
    long pollAfter = Math.max(2_000, Duration.between(issuedAt, expiresAt).toMillis());
    return new QueueStatus(QueueStatus.State.ADMITTED, place, room.opensAt(), 0, 0, pollAfter, admission,
        expiresAt, false);
  }

  private static QueueStatus paused(WaitingRoom room) {
    return new QueueStatus(QueueStatus.State.PAUSED, 0, room.opensAt(), 0, 0, 2_000, null, null, false);
  }

  private static long atTheBack(Instant now) {
    return SHUFFLED_BELOW + ChronoUnit.MICROS.between(Instant.EPOCH, now);
  }
}
