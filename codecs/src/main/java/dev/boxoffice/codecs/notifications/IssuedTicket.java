package dev.boxoffice.codecs.notifications;

import java.util.Objects;
import java.util.UUID;

/** A ticket whose QR code PNG create-ticket stored in the media bucket at {@link #qrKey()}. */
public record IssuedTicket(UUID ticketId, String qrKey) {

  public IssuedTicket {
    Objects.requireNonNull(ticketId, "ticketId");
    qrKey = Checks.text(qrKey, "qrKey", 1024);
  }
}
