package dev.boxoffice.backend.cache;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The live line of one event's waiting room in Redis, shared by every backend: a sorted set of buyers by score, and a
 * cursor that lets {@code admitPerMinute} of them in per minute on Redis's own clock. A visit is one script (a
 * handful of O(log n) commands), so tens of thousands of people polling cost Redis little. The line is only built
 * from the durable record ({@link #rebuild}); while it is not (a fresh room, or Redis lost it), visits answer
 * {@link Visit.State#UNBUILT} and nobody is admitted. A line is built for one opening of the room and says which: a
 * visit for another opening (the organizer re-opened the room for a second on-sale, or moved its opening, and one of
 * the two sides has not seen it yet) answers {@link Visit.State#OTHER_OPENING} and changes nothing.
 */
public final class WaitingLine {

  private static final String VISIT = """
      local opening = redis.call('GET', KEYS[5])
      if not opening then return {-2} end
      if opening ~= ARGV[2] then return {-3} end
      if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return {-1} end
      local clock = redis.call('TIME')
      local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
      local admitted = tonumber(redis.call('GET', KEYS[2]) or '0')
      if now >= tonumber(ARGV[2]) then
        local last = redis.call('GET', KEYS[3])
        if not last then
          redis.call('SET', KEYS[3], now)
        else
          local interval = 60000 / tonumber(ARGV[3])
          local add = math.floor((now - tonumber(last)) / interval)
          if add > 0 then
            local waiting = redis.call('ZCARD', KEYS[1])
            if admitted + add >= waiting then
              admitted = waiting
              redis.call('SET', KEYS[3], now)
            else
              admitted = admitted + add
              redis.call('SET', KEYS[3], string.format('%.3f', tonumber(last) + add * interval))
            end
            redis.call('SET', KEYS[2], admitted)
          end
        end
      end
      local rank = redis.call('ZRANK', KEYS[1], ARGV[1])
      if rank >= admitted then
        return {0, rank, admitted, now, math.floor(tonumber(redis.call('GET', KEYS[3]) or ARGV[2]))}
      end
      local since = redis.call('HGET', KEYS[4], ARGV[1])
      if not since then
        redis.call('HSET', KEYS[4], ARGV[1], now)
        return {1, rank, admitted, now, now}
      end
      if now - tonumber(since) < tonumber(ARGV[4]) then return {2, rank, admitted, now, tonumber(since)} end
      return {3, rank, admitted, now}""";

  private static final String ADD = """
      if redis.call('ZADD', KEYS[1], 'NX', ARGV[2], ARGV[1]) == 0 then return 0 end
      local admitted = tonumber(redis.call('GET', KEYS[2]) or '0')
      if redis.call('ZRANK', KEYS[1], ARGV[1]) < admitted then
        redis.call('SET', KEYS[2], admitted + 1)
        local last = redis.call('GET', KEYS[3])
        if last then
          redis.call('SET', KEYS[3], string.format('%.3f', tonumber(last) + 60000 / tonumber(ARGV[3])))
        end
        return 2
      end
      return 1""";

  private static final String CLAIM_REBUILD = """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return 0 end
      if redis.call('SET', KEYS[2], '1', 'NX', 'PX', 30000) then return 1 end
      return 0""";

  /**
   * What a visit found: the buyer's state, their rank in the line, how many are let in, Redis's time (ms); admitted,
   * since when; waiting, the time the cursor counts its next admissions from ({@code tickMillis}: one every interval
   * after it; before the opening, the opening).
   */
  public record Visit(State state, long rank, long admitted, long nowMillis, long admittedAtMillis, long tickMillis) {

    public enum State {
      /** Redis has no line for this room: it must be rebuilt from the durable record first. */
      UNBUILT,
      /** The line in Redis is of another opening of the room than the visit's. */
      OTHER_OPENING,
      /** The buyer has no place in the line yet. */
      UNKNOWN,
      WAITING,
      /** Their turn came just now. */
      ADMITTED_NOW,
      /** Their turn came before, and their admission still holds. */
      ADMITTED,
      /** Their turn came and their admission ran out unused: they go to the back. */
      ADMISSION_RAN_OUT
    }

    public long ahead() {
      return Math.max(0, rank - admitted);
    }

    /**
     * When a waiting buyer's turn comes at the earliest (ms, Redis's clock), at {@code admitPerMinute}: the cursor
     * lets in one more every interval from {@link #tickMillis}, and this buyer is the next after those ahead. A place
     * drawn later before the opening, or a passed turn let in and paid back, can only push it back.
     */
    public long turnAtMillis(int admitPerMinute) {
      return tickMillis + (long) Math.ceil((ahead() + 1) * 60_000.0 / admitPerMinute);
    }
  }

  private final Redis redis;

  public WaitingLine(Redis redis) {
    this.redis = redis;
  }

  public Future<Visit> visit(UUID eventId, String buyerEmail, long opensAtMillis, int admitPerMinute,
                             long admissionMillis) {
    Request script = Request.cmd(Command.EVAL).arg(VISIT).arg(5);
    keys(eventId).forEach(script::arg);
    script.arg(buyerEmail).arg(opensAtMillis).arg(admitPerMinute).arg(admissionMillis);
    return redis.send(script).map(WaitingLine::visit);
  }

  /**
   * Puts a buyer in the line at {@code score}, unless they are in it already. A place that lands among those already
   * let in (a pre-queue draw written after the opening, by a visitor shed until then; an arrival scored just before
   * the cursor moved on) is a turn that has passed: it is let in at once, in the same script, and the line pays it
   * back, its next admission coming one interval ({@code admitPerMinute}) later. So nobody let in is pushed back into
   * the line, the draw keeps its meaning for whoever was shed past the opening, and the line still lets in no more
   * than its rate: everyone behind waits as they would have, had that buyer been in line all along.
   */
  public Future<Void> add(UUID eventId, String buyerEmail, double score, int admitPerMinute) {
    return redis.send(Request.cmd(Command.EVAL).arg(ADD).arg(3).arg(key(eventId, "line")).arg(key(eventId, "cursor"))
        .arg(key(eventId, "tick")).arg(buyerEmail).arg(Long.toString((long) score)).arg(admitPerMinute)).mapEmpty();
  }

  /** Moves a buyer whose admission ran out to {@code score} (the back), their turn to come again. */
  public Future<Void> requeue(UUID eventId, String buyerEmail, double score) {
    return Future.all(
            redis.send(Request.cmd(Command.ZADD).arg(key(eventId, "line")).arg("XX").arg(Long.toString((long) score))
                .arg(buyerEmail)),
            redis.send(Request.cmd(Command.HDEL).arg(key(eventId, "admitted-at")).arg(buyerEmail)))
        .mapEmpty();
  }

  /**
   * Whether this backend is the one to rebuild the line for the opening at {@code opensAtMillis}: only while it is
   * not built for that opening and no other backend is at it (a lock that lapses after 30 s, should that backend
   * die). Checking both in one script keeps a backend that saw the line unbuilt a moment ago from rebuilding it
   * again, over the joins that came since.
   */
  public Future<Boolean> claimRebuild(UUID eventId, long opensAtMillis) {
    Request claim = Request.cmd(Command.EVAL).arg(CLAIM_REBUILD).arg(2).arg(key(eventId, "built"))
        .arg(key(eventId, "building")).arg(opensAtMillis);
    return redis.send(claim).map(claimed -> claimed.toInteger() == 1);
  }

  /**
   * Builds the claimed line for the opening at {@code opensAtMillis} from {@code waiting} (buyer → score, everyone
   * whose turn has not come, read after the claim); the cursor starts again at the front, where the first of them
   * now stands.
   */
  public Future<Void> rebuild(UUID eventId, long opensAtMillis, Map<String, Double> waiting) {
    List<Request> batch = new ArrayList<>();
    batch.add(Request.cmd(Command.DEL).arg(key(eventId, "line")).arg(key(eventId, "cursor"))
        .arg(key(eventId, "tick")).arg(key(eventId, "admitted-at")));
    Request add = null;
    int inAdd = 0;
    for (Map.Entry<String, Double> place : waiting.entrySet()) {
      if (add == null) {
        add = Request.cmd(Command.ZADD).arg(key(eventId, "line"));
      }
      add.arg(Long.toString(place.getValue().longValue())).arg(place.getKey());
      if (++inAdd == 1_000) {
        batch.add(add);
        add = null;
        inAdd = 0;
      }
    }
    if (add != null) {
      batch.add(add);
    }
    batch.add(Request.cmd(Command.SET).arg(key(eventId, "built")).arg(opensAtMillis));
    batch.add(Request.cmd(Command.DEL).arg(key(eventId, "building")));
    return redis.batch(batch).mapEmpty();
  }

  private static Visit visit(Response answer) {
    int code = answer.get(0).toInteger();
    Visit.State state = switch (code) {
      case -3 -> Visit.State.OTHER_OPENING;
      case -2 -> Visit.State.UNBUILT;
      case -1 -> Visit.State.UNKNOWN;
      case 0 -> Visit.State.WAITING;
      case 1 -> Visit.State.ADMITTED_NOW;
      case 2 -> Visit.State.ADMITTED;
      default -> Visit.State.ADMISSION_RAN_OUT;
    };
    if (code < 0) {
      return new Visit(state, 0, 0, 0, 0, 0);
    }
    long fifth = answer.size() > 4 ? answer.get(4).toLong() : 0;
    return new Visit(state, answer.get(1).toLong(), answer.get(2).toLong(), answer.get(3).toLong(),
        state == Visit.State.WAITING ? 0 : fifth, state == Visit.State.WAITING ? fifth : 0);
  }

  private static List<String> keys(UUID eventId) {
    return List.of(key(eventId, "line"), key(eventId, "cursor"), key(eventId, "tick"), key(eventId, "admitted-at"),
        key(eventId, "built"));
  }

  private static String key(UUID eventId, String part) {
    // The hash tag keeps one room's keys in one slot of a Redis cluster, as one script needs them.
    return "bo:queue:{" + eventId + "}:" + part;
  }
}
