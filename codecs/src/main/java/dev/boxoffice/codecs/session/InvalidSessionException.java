package dev.boxoffice.codecs.session;

/** A token that does not prove a session: malformed, badly signed, expired, or meant for someone else. */
public final class InvalidSessionException extends Exception {

  public InvalidSessionException(String message) {
    super(message, null, false, false);
  }
}
