package dev.boxoffice.backend.model;

import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

/**
 * One admission. {@code qrStatus} is pending until the issuance workflow renders its QR code (ready) or gives up
 * (failed); {@code checkedInAt} is null until it is scanned at the door.
 */
public record Ticket(UUID id, UUID orderId, UUID eventId, UUID ticketTypeId, Status status, Instant issuedAt,
                     QrStatus qrStatus, Instant checkedInAt) {

  public enum Status {
    VALID, CANCELLED, CHECKED_IN;

    private final String text = name().toLowerCase(Locale.ROOT);

    /** As the database stores it and the API spells it. */
    public String text() {
      return text;
    }

    public static Status of(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }

  public enum QrStatus {
    PENDING, READY, FAILED;

    private final String text = name().toLowerCase(Locale.ROOT);

    /** As the database stores it and the API spells it. */
    public String text() {
      return text;
    }

    public static QrStatus of(String text) {
      return valueOf(text.toUpperCase(Locale.ROOT));
    }
  }
}
