package dev.boxoffice.lambdas;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Email addresses as every handler stores and compares them: trimmed and lower-case, ASCII only (they travel in S3
 * metadata and SNS filter policies), at most 254 characters.
 */
public final class Emails {

  private static final int MAX_LENGTH = 254;
  private static final Pattern ADDRESS = Pattern.compile(
      "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
          + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+");

  private Emails() {
  }

  /** The normalised address, or {@link IllegalArgumentException} when {@code value} is not one. */
  public static String normalize(String value) {
    if (value == null) {
      throw new IllegalArgumentException("an email address is required");
    }
    String address = value.trim().toLowerCase(Locale.ROOT);
    if (address.length() > MAX_LENGTH || !ADDRESS.matcher(address).matches()) {
      throw new IllegalArgumentException("not a valid email address");
    }
    return address;
  }

  /** The normalised address of a request field, or a 400 naming the field. */
  public static String field(String value, String field) {
    try {
      return normalize(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(field, "'" + field + "' must be a valid email address");
    }
  }
}
