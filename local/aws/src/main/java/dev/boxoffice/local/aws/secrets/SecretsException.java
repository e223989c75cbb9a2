package dev.boxoffice.local.aws.secrets;

/** A refusal in Secrets Manager's or SSM's JSON error shape: the error type and its message, answered with 400. */
final class SecretsException extends RuntimeException {

  private final String type;

  SecretsException(String type, String message) {
    super(message, null, false, false);
    this.type = type;
  }

  String type() {
    return type;
  }
}
