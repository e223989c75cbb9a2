package dev.boxoffice.backend.store;

import dev.boxoffice.backend.model.Refusal;
import dev.boxoffice.backend.model.WaitingRoom;
import dev.boxoffice.codecs.session.SessionTokens;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.KeyPair;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The waiting rooms' durable side: each room's settings, every buyer's place in its line (the record the Redis line is
 * rebuilt from) and the key pair admissions are signed with.
 */
public final class WaitingRoomStore {

  /** A buyer's place as recorded: its score in the line and when their turn came (null: not yet). */
  public record Place(double score, Instant admittedAt) {
  }

  /** A place to put back into a rebuilt line. */
  public record Waiting(String buyerEmail, double score) {
  }

  private static final String ROOM = "SELECT w.event_id, w.opens_at, w.admit_per_minute, w.admission_minutes"
      + " FROM waiting_rooms w JOIN events e ON e.id = w.event_id WHERE w.event_id = $1 AND e.status = 'published'";
  // Locks the room: a visit joining meanwhile lands before the places are dropped or after the change, not between.
  private static final String NEW_ON_SALE = "SELECT w.opens_at <= now() AND w.opens_at <> $3 AS new_on_sale"
      + " FROM waiting_rooms w JOIN events e ON e.id = w.event_id WHERE w.event_id = $1 AND e.organizer_email = $2"
      + " FOR UPDATE OF w";
  private static final String DROP_PLACES = "DELETE FROM queue_places WHERE event_id = $1";
  private static final String PUT_ROOM = "INSERT INTO waiting_rooms (event_id, opens_at, admit_per_minute,"
      + " admission_minutes) SELECT id, $3, $4, $5 FROM events WHERE id = $1 AND organizer_email = $2"
      + " AND status <> 'cancelled' ON CONFLICT (event_id) DO UPDATE SET opens_at = EXCLUDED.opens_at,"
      + " admit_per_minute = EXCLUDED.admit_per_minute, admission_minutes = EXCLUDED.admission_minutes,"
      + " updated_at = now() RETURNING event_id, opens_at, admit_per_minute, admission_minutes";
  // The no-op update makes RETURNING answer the place that was there already. Rows go in sorted, so that two such
  // statements lock the rows they share in the same order; a room gone meanwhile takes none (its rows go unanswered).
  private static final String JOIN = "INSERT INTO queue_places (event_id, buyer_email, score)"
      + " SELECT j.event_id, j.buyer_email, j.score"
      + " FROM unnest($1::uuid[], $2::text[], $3::float8[]) AS j (event_id, buyer_email, score)"
      + " JOIN waiting_rooms w ON w.event_id = j.event_id ORDER BY j.event_id, j.buyer_email"
      + " ON CONFLICT (event_id, buyer_email) DO UPDATE SET event_id = EXCLUDED.event_id"
      + " RETURNING event_id, buyer_email, score, admitted_at";
  private static final String ADMITTED = "UPDATE queue_places q SET admitted_at = a.admitted_at"
      + " FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS a (event_id, buyer_email, admitted_at)"
      + " WHERE q.event_id = a.event_id AND q.buyer_email = a.buyer_email AND q.admitted_at IS NULL";
  private static final String REQUEUED = "UPDATE queue_places SET score = $3, admitted_at = NULL"
      + " WHERE event_id = $1 AND buyer_email = $2";
  private static final String WAITING = "SELECT buyer_email, score FROM queue_places"
      + " WHERE event_id = $1 AND admitted_at IS NULL";
  private static final String INSERT_KEY = "INSERT INTO signing_keys (name, public_key_pem, private_key_pem)"
      + " VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING";
  private static final String TICKET_TYPES = "SELECT id FROM ticket_types WHERE event_id = $1";
  private static final String KEY = "SELECT public_key_pem, private_key_pem FROM signing_keys WHERE name = $1";

  private record Key(UUID eventId, String buyerEmail) implements Comparable<Key> {

    @Override
    public int compareTo(Key other) {
      int byEvent = eventId.compareTo(other.eventId);
      return byEvent != 0 ? byEvent : buyerEmail.compareTo(other.buyerEmail);
    }
  }

  private record Joining(Key key, double score) {
  }

  private record Admitting(Key key, Instant at) {
  }

  private final Pool pool;
  // Coalescers' keys in each context's data: this store's own, so that two stores (two backends in one JVM) never
  // share one.
  private final Object joins = new Object();
  private final Object admissions = new Object();

  public WaitingRoomStore(Pool pool) {
    this.pool = pool;
  }

  /** The ids of the event's ticket types, for their sold-out flags. */
  public Future<List<UUID>> ticketTypeIds(UUID eventId) {
    return pool.preparedQuery(TICKET_TYPES).execute(Tuple.of(eventId)).map(rows -> {
      List<UUID> ids = new ArrayList<>();
      rows.forEach(row -> ids.add(row.getUUID("id")));
      return ids;
    });
  }

  /** The room of a published event, if it has one. */
  public Future<Optional<WaitingRoom>> room(UUID eventId) {
    return pool.preparedQuery(ROOM).execute(Tuple.of(eventId))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(room(rows.iterator().next())));
  }

  /**
   * Turns the room of the organizer's own event on, or changes it. A new opening for a room whose opening has passed
   * is a new on-sale: the places of the last one are dropped in the same transaction, so its line starts afresh.
   */
  public Future<WaitingRoom> put(String organizerEmail, WaitingRoom room) {
    Tuple values = Tuple.of(room.eventId(), organizerEmail, room.opensAt().atOffset(ZoneOffset.UTC),
        room.admitPerMinute(), room.admissionMinutes());
    return pool.withTransaction(connection -> connection.preparedQuery(NEW_ON_SALE)
        .execute(Tuple.of(room.eventId(), organizerEmail, room.opensAt().atOffset(ZoneOffset.UTC)))
        .compose(previous -> previous.size() == 1 && previous.iterator().next().getBoolean("new_on_sale")
            ? connection.preparedQuery(DROP_PLACES).execute(Tuple.of(room.eventId())).<Void>mapEmpty()
            : Future.<Void>succeededFuture())
        .compose(dropped -> connection.preparedQuery(PUT_ROOM).execute(values))
        .compose(rows -> rows.size() == 0
            ? Future.failedFuture(new Refusal.NotFound("No event " + room.eventId() + " of yours"))
            : Future.succeededFuture(room(rows.iterator().next()))));
  }

  /**
   * The buyer's place: the one recorded, or a new one with {@code score}. The joins made on one event loop meanwhile
   * are written in one statement ({@link Coalescer}).
   */
  public Future<Place> join(UUID eventId, String buyerEmail, double score) {
    return Coalescer.submit(joins, this::joinAll, new Joining(new Key(eventId, buyerEmail), score))
        .compose(place -> place != null ? Future.succeededFuture(place)
            : Future.failedFuture(new Refusal.NotFound("No waiting room for event " + eventId)));
  }

  /** Records that the buyer's turn came {@code at}, unless it had; coalesced as {@link #join} is. */
  public Future<Void> admitted(UUID eventId, String buyerEmail, Instant at) {
    return Coalescer.submit(admissions, this::admitAll, new Admitting(new Key(eventId, buyerEmail), at));
  }

  /** One statement for all: a buyer twice among them (two visits at once) joins with the first score. */
  private Future<List<Place>> joinAll(List<Joining> joining) {
    Map<Key, Double> scores = new TreeMap<>();
    joining.forEach(join -> scores.putIfAbsent(join.key(), join.score()));
    Tuple values = Tuple.of(
        scores.keySet().stream().map(Key::eventId).toArray(UUID[]::new),
        scores.keySet().stream().map(Key::buyerEmail).toArray(String[]::new),
        scores.values().toArray(Double[]::new));
    return pool.preparedQuery(JOIN).execute(values).map(rows -> {
      Map<Key, Place> places = new HashMap<>();
      rows.forEach(row -> places.put(new Key(row.getUUID("event_id"), row.getString("buyer_email")),
          new Place(row.getDouble("score"), row.getOffsetDateTime("admitted_at") == null ? null
              : row.getOffsetDateTime("admitted_at").toInstant())));
      return joining.stream().map(join -> places.get(join.key())).toList();
    });
  }

  private Future<List<Void>> admitAll(List<Admitting> admitting) {
    Map<Key, Instant> times = new TreeMap<>();
    admitting.forEach(admitted -> times.putIfAbsent(admitted.key(), admitted.at()));
    Tuple values = Tuple.of(
        times.keySet().stream().map(Key::eventId).toArray(UUID[]::new),
        times.keySet().stream().map(Key::buyerEmail).toArray(String[]::new),
        times.values().stream().map(at -> at.atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new));
    return pool.preparedQuery(ADMITTED).execute(values)
        .map(rows -> admitting.stream().map(admitted -> (Void) null).toList());
  }

  /** The buyer let their admission run out: their place is now {@code score}, at the back. */
  public Future<Void> requeued(UUID eventId, String buyerEmail, double score) {
    return pool.preparedQuery(REQUEUED).execute(Tuple.of(eventId, buyerEmail, score)).mapEmpty();
  }

  /** Everyone whose turn has not come yet. */
  public Future<List<Waiting>> waiting(UUID eventId) {
    return pool.preparedQuery(WAITING).execute(Tuple.of(eventId)).map(rows -> {
      List<Waiting> waiting = new ArrayList<>(rows.size());
      rows.forEach(row -> waiting.add(new Waiting(row.getString("buyer_email"), row.getDouble("score"))));
      return waiting;
    });
  }

  /** The key pair named {@code name}: the one stored, or {@code fresh}, stored now by the first backend to ask. */
  public Future<KeyPair> keyPair(String name, KeyPair fresh) {
    Tuple values = Tuple.of(name, SessionTokens.publicKeyPem(fresh.getPublic()),
        SessionTokens.privateKeyPem(fresh.getPrivate()));
    return pool.preparedQuery(INSERT_KEY).execute(values)
        .compose(inserted -> pool.preparedQuery(KEY).execute(Tuple.of(name)))
        .map(rows -> {
          Row row = rows.iterator().next();
          return new KeyPair(SessionTokens.parsePublicKey(row.getString("public_key_pem")),
              SessionTokens.parsePrivateKey(row.getString("private_key_pem")));
        });
  }

  private static WaitingRoom room(Row row) {
    return new WaitingRoom(row.getUUID("event_id"), row.getOffsetDateTime("opens_at").toInstant(),
        row.getInteger("admit_per_minute"), row.getInteger("admission_minutes"));
  }
}
