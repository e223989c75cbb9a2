package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.UUID;

/** A ticket a door let in while offline: the door's own id for the scan, the QR code's text, and when it was read. */
public record OfflineScan(UUID id, String token, Instant scannedAt) {
}
