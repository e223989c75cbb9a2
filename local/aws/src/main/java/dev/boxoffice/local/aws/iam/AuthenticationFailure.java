package dev.boxoffice.local.aws.iam;

/**
 * A request whose signature does not identify a known caller. Each endpoint answers it in its service's own error
 * shape, choosing the code by {@link #reason()}.
 */
public final class AuthenticationFailure extends RuntimeException {

  /** What was wrong, in the categories AWS's error codes follow. */
  public enum Reason {
    /** No Authorization header (MissingAuthenticationToken). */
    MISSING,
    /** An Authorization header or date that cannot be read (IncompleteSignature). */
    MALFORMED,
    /** A key nobody was given, or a session token that does not belong to it (UnrecognizedClient). */
    UNKNOWN_KEY,
    /** A signature over something else than what arrived, or made with another secret (InvalidSignature). */
    SIGNATURE_MISMATCH,
    /** Signed more than 15 minutes away from now (InvalidSignature, "Signature expired"). */
    EXPIRED,
    /** Signed for another region or service (InvalidSignature). */
    WRONG_SCOPE
  }

  private final Reason reason;

  AuthenticationFailure(Reason reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
