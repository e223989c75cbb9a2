package dev.boxoffice.backend.team;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the active grants every {@link #INTERVAL} on every backend, so that a grant or revocation made on any
 * backend holds on all of them within that interval (and a session check never queries the database for roles).
 * The backend that makes a change reloads at once.
 */
public final class RoleReloadVerticle extends VerticleBase {

  /** Four reloads within the 60 s a change may take to hold everywhere: three may fail without breaking that. */
  public static final Duration INTERVAL = Duration.ofSeconds(15);
  private static final Logger LOG = LoggerFactory.getLogger(RoleReloadVerticle.class);

  private final RoleReloader reloader;
  private long timer;
  private boolean failing;

  public RoleReloadVerticle(RoleReloader reloader) {
    this.reloader = reloader;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(INTERVAL.toMillis(), ignored -> reload());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void reload() {
    reloader.reload()
        .onSuccess(done -> failing = false)
        .onFailure(failure -> {
          if (!failing) {
            LOG.warn("reloading the role grants failed; the last copy stays in use, retrying every {} s: {}",
                INTERVAL.toSeconds(), failure.toString());
          }
          failing = true;
        });
  }
}
