package dev.boxoffice.lambdas;

import dev.boxoffice.codecs.EmailAddresses;

/** Email addresses of request fields, checked and normalised by the one rule of {@link EmailAddresses}. */
public final class Emails {

  private Emails() {
  }

  /** The normalised address of a request field, or a 400 naming the field. */
  public static String field(String value, String field) {
    try {
      return EmailAddresses.normalize(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(field, "'" + field + "' must be a valid email address");
    }
  }
}
