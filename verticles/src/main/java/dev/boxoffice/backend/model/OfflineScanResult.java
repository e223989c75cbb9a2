package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What the server made of one synced offline scan. {@code ADMITTED}: the ticket's first entry. {@code DUPLICATE}: it
 * had entered before (at {@code firstScannedAt}), at this door or another; {@code CANCELLED}: it was cancelled before
 * the door learnt it. Both are conflicts, shown to the organizer. {@code REJECTED}: the scan is no admission the
 * server can record (a forged token, another event's ticket...); nothing was written for it.
 */
public record OfflineScanResult(UUID scanId, Outcome outcome, Optional<UUID> ticketId, Optional<Instant> firstScannedAt,
                                Optional<Rejection> rejection) {

  public enum Outcome {
    ADMITTED, DUPLICATE, CANCELLED, REJECTED
  }

  /** Why a scan was rejected: an error code and a sentence. */
  public record Rejection(String code, String message) {
  }

  public static OfflineScanResult rejected(UUID scanId, String code, String message) {
    return new OfflineScanResult(scanId, Outcome.REJECTED, Optional.empty(), Optional.empty(),
        Optional.of(new Rejection(code, message)));
  }

  public static OfflineScanResult recorded(UUID scanId, Outcome outcome, UUID ticketId, Instant firstScannedAt) {
    return new OfflineScanResult(scanId, outcome, Optional.of(ticketId), Optional.ofNullable(firstScannedAt),
        Optional.empty());
  }

  public boolean conflict() {
    return outcome == Outcome.DUPLICATE || outcome == Outcome.CANCELLED;
  }
}
