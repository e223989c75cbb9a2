package dev.boxoffice.backend.sessions;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@link #INTERVAL} on every backend: reads the revocations made on any backend since this one's copy, copies
 * to the Lambdas' table those that did not reach it, and deletes those that refuse no valid token any more.
 */
public final class RevocationReloadVerticle extends VerticleBase {

  /** Four reloads within the 60 s a sign-out may take to hold everywhere, as for the roles. */
  public static final Duration INTERVAL = Duration.ofSeconds(15);
  private static final Logger LOG = LoggerFactory.getLogger(RevocationReloadVerticle.class);

  private final RevocationReloader reloader;
  private long timer;
  private boolean failing;

  public RevocationReloadVerticle(RevocationReloader reloader) {
    this.reloader = reloader;
  }

  @Override
  public Future<?> start() {
    timer = vertx.setPeriodic(INTERVAL.toMillis(), ignored -> round());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private void round() {
    reloader.reload()
        .compose(reloaded -> reloader.mirrorPendingAndPurge())
        .onSuccess(done -> failing = false)
        .onFailure(failure -> {
          if (!failing) {
            LOG.warn("reloading or copying the revoked sessions failed; the last copy stays in use, retrying every {}"
                + " s: {}", INTERVAL.toSeconds(), failure.toString());
          }
          failing = true;
        });
  }
}
