package dev.boxoffice.codecs.tickets;

/** A scanned text that is not a ticket token we signed: malformed, truncated, or with a signature that fails. */
public final class InvalidTicketTokenException extends Exception {

  public InvalidTicketTokenException(String message) {
    super(message, null, false, false);
  }
}
