package dev.boxoffice.codecs;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one rule for an email address, wherever one enters the system (sign-in codes, the backend's dev login, the
 * local SNS's email subscriptions): ASCII only, because addresses travel in S3 metadata and SNS filter policies; a
 * local part of at most 64 characters; a domain of dot-separated labels; at most 254 characters in all (RFC 5321's
 * limit on a path).
 */
public final class EmailAddresses {

  public static final int MAX_LENGTH = 254;

  private static final Pattern ADDRESS = Pattern.compile(
      "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
          + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

  private EmailAddresses() {
  }

  /** Whether {@code value} is an address exactly as given (no trimming), in any letter case. */
  public static boolean isValid(String value) {
    return value != null && value.length() <= MAX_LENGTH && ADDRESS.matcher(value).matches();
  }

  /**
   * The address as it is stored and compared: trimmed and lower-case; an {@link IllegalArgumentException} saying why
   * when {@code value} is not one.
   */
  public static String normalize(String value) {
    if (value == null) {
      throw new IllegalArgumentException("an email address is required");
    }
    String address = value.trim().toLowerCase(Locale.ROOT);
    if (!isValid(address)) {
      throw new IllegalArgumentException("not an email address of at most " + MAX_LENGTH + " characters");
    }
    return address;
  }
}
