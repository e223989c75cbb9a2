package dev.boxoffice.backend.payments;

import dev.boxoffice.backend.cache.ResponseCache;
import dev.boxoffice.backend.cache.SoldOutFlags;
import dev.boxoffice.backend.store.HoldStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Releases expired holds within seconds, on every backend: each round takes the ticket types with expired holds that
 * no transaction holds now ({@code FOR UPDATE SKIP LOCKED} over the index on expiry, so backends share the work and
 * never wait on each other or on a rush), returns their tickets, tells the buyers, and then ends the sold-out flag
 * and reloads the event's page. A ticket type in a rush is skipped here: its purchase batches release its expired
 * holds themselves, under the lock they hold anyway.
 *
 * <p>Why not a Step Functions execution (a Wait state) per hold: a rush makes thousands of holds a second, and
 * StartExecution of a standard workflow is throttled at a few hundred a second per account (a 100,000-ticket sale
 * would wait minutes for its starts), each execution is billed per state transition, and the release would still need
 * this transaction. One indexed query a second per backend does it for any number of holds.
 */
public final class HoldSweeperVerticle extends VerticleBase {

  static final Duration INTERVAL = Duration.ofSeconds(1);
  private static final int ROUND_LIMIT = 5_000;
  private static final Logger LOG = LoggerFactory.getLogger(HoldSweeperVerticle.class);

  private final HoldStore holds;
  private final SoldOutFlags soldOutFlags;
  private final ResponseCache cache;
  private long timer;
  private boolean failing;
  private boolean stopping;

  public HoldSweeperVerticle(HoldStore holds, SoldOutFlags soldOutFlags, ResponseCache cache) {
    this.holds = holds;
    this.soldOutFlags = soldOutFlags;
    this.cache = cache;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setTimer(INTERVAL.toMillis(), ignored -> sweep());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void sweep() {
    holds.releaseExpired(ROUND_LIMIT)
        .compose(released -> announce(released).map(released))
        .onSuccess(released -> {
          failing = false;
          int tickets = released.stream().mapToInt(HoldStore.Released::tickets).sum();
          if (tickets > 0) {
            LOG.debug("released {} tickets of expired holds of {} ticket types", tickets, released.size());
          }
          schedule(tickets >= ROUND_LIMIT ? Duration.ZERO : INTERVAL);
        })
        .onFailure(failure -> {
          if (!failing) {
            LOG.warn("releasing expired holds failed; retrying every {} ms: {}", INTERVAL.toMillis(),
                failure.toString());
          }
          failing = true;
          schedule(INTERVAL);
        });
  }

  private Future<Void> announce(List<HoldStore.Released> released) {
    return Future.join(released.stream().map(each -> soldOutFlags.clear(each.ticketTypeId())
            .compose(cleared -> cache.salesChanged(each.eventId()))).toList())
        .mapEmpty();
  }

  private void schedule(Duration delay) {
    if (stopping) {
      return;
    }
    timer = vertx.setTimer(Math.max(1, delay.toMillis()), ignored -> sweep());
  }
}
