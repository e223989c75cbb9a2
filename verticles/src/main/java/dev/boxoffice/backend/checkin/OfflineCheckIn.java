package dev.boxoffice.backend.checkin;

import dev.boxoffice.backend.auth.Principal;
import dev.boxoffice.backend.config.Config;
import dev.boxoffice.backend.model.OfflineScan;
import dev.boxoffice.backend.model.OfflineScanResult;
import dev.boxoffice.backend.store.DoorStore;
import dev.boxoffice.backend.store.OfflineScanBatch;
import dev.boxoffice.backend.store.OfflineScanBatch.VerifiedScan;
import dev.boxoffice.codecs.tickets.InvalidTicketTokenException;
import dev.boxoffice.codecs.tickets.TicketClaims;
import dev.boxoffice.codecs.tickets.TicketTokens;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A door that checked tickets in without the network syncs its scans here, in batches. Each scan is verified as the
 * door verified it (the token's signature, this event, its window at the time of the scan), then the batch is recorded
 * by {@link OfflineScanBatch}, which resolves the same ticket let in at several doors by first scan time.
 *
 * <p>The signatures are checked on a worker thread: a batch of 200 costs tens of milliseconds of CPU, too long for an
 * event loop.
 */
public final class OfflineCheckIn {

  /** A phone's clock may run a little fast; a scan further in the future than this is not believed. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(2);

  private final Vertx vertx;
  private final DoorStore doors;
  private final OfflineScanBatch batch;
  private final DoorAccess access;
  private final TicketKey ticketKey;
  private final Clock clock;

  /** Fails fast when {@code BOXOFFICE_TICKET_PUBLIC_KEY} is set but is not an Ed25519 public key PEM. */
  public OfflineCheckIn(Vertx vertx, DoorStore doors, OfflineScanBatch batch, Config config, Clock clock) {
    this.vertx = vertx;
    this.doors = doors;
    this.batch = batch;
    this.access = new DoorAccess();
    this.ticketKey = new TicketKey(config);
    this.clock = clock;
  }

  /** One result per scan, in the order of {@code scans}. */
  public Future<List<OfflineScanResult>> sync(Principal caller, UUID eventId, Optional<String> door,
                                              List<OfflineScan> scans) {
    return access.requireDoorRole(caller)
        .compose(allowed -> doors.event(eventId))
        .compose(event -> access.requireDoorOf(caller, event))
        .compose(event -> verifyOnWorker(eventId, scans))
        .compose(verified -> batch.record(new OfflineScanBatch.Door(eventId, caller.email(), door),
                verified.accepted())
            .map(recorded -> inOrder(scans, verified.rejected(), recorded)));
  }

  private record Verified(List<VerifiedScan> accepted, Map<UUID, OfflineScanResult> rejected) {
  }

  private Future<Verified> verifyOnWorker(UUID eventId, List<OfflineScan> scans) {
    PublicKey key = ticketKey.require();
    Instant now = clock.instant();
    return vertx.executeBlocking(() -> {
      List<VerifiedScan> accepted = new ArrayList<>();
      Map<UUID, OfflineScanResult> rejected = new HashMap<>();
      for (OfflineScan scan : scans) {
        TicketClaims claims;
        try {
          claims = TicketTokens.verify(scan.token(), key);
        } catch (InvalidTicketTokenException e) {
          rejected.put(scan.id(), OfflineScanResult.rejected(scan.id(), "invalid_ticket",
              "This is not a Boxoffice ticket"));
          continue;
        }
        Optional<OfflineScanResult> refused = refusal(scan, claims, eventId, now);
        if (refused.isPresent()) {
          rejected.put(scan.id(), refused.get());
        } else {
          accepted.add(new VerifiedScan(scan.id(), claims.ticketId(), claims.ticketTypeId(), scan.scannedAt()));
        }
      }
      return new Verified(accepted, rejected);
    }, false);
  }

  /** Why a genuine ticket's scan cannot be an admission, if it cannot. */
  private static Optional<OfflineScanResult> refusal(OfflineScan scan, TicketClaims claims, UUID eventId, Instant now) {
    if (!claims.eventId().equals(eventId)) {
      return Optional.of(OfflineScanResult.rejected(scan.id(), "wrong_event", "This ticket is for another event"));
    }
    if (scan.scannedAt().isAfter(now.plus(CLOCK_SKEW))) {
      return Optional.of(OfflineScanResult.rejected(scan.id(), "scanned_in_future",
          "The scan's time is later than now; check the door's clock"));
    }
    if (!claims.isValidAt(scan.scannedAt())) {
      return Optional.of(OfflineScanResult.rejected(scan.id(), "ticket_not_valid_now", "This ticket admits from "
          + claims.validFrom() + " until " + claims.validUntil() + ", not at the time of the scan"));
    }
    return Optional.empty();
  }

  private static List<OfflineScanResult> inOrder(List<OfflineScan> scans, Map<UUID, OfflineScanResult> rejected,
                                                 Map<UUID, OfflineScanResult> recorded) {
    return scans.stream().map(scan -> rejected.containsKey(scan.id()) ? rejected.get(scan.id())
        : recorded.get(scan.id())).toList();
  }
}
