package dev.boxoffice.codecs.notifications;

import dev.boxoffice.codecs.EmailAddresses;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/** The checks every notification's fields pass as it is built, by a publisher or by the mailer reading one. */
final class Checks {

  private static final Pattern ID = Pattern.compile("[a-z][a-z-]*:[A-Za-z0-9:._@+-]{1,240}");
  private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})*");
  private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");

  private Checks() {
  }

  /** A publisher's id: a lower-case kind, a colon, then what makes it unique. */
  static String id(String id) {
    Objects.requireNonNull(id, "id");
    if (id.length() > Notification.MAX_ID_LENGTH || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("a notification id is kind:unique-part, at most "
          + Notification.MAX_ID_LENGTH + " characters of letters, digits and :._@+-");
    }
    return id;
  }

  static String recipient(String to) {
    return EmailAddresses.normalize(to);
  }

  static String language(String language) {
    if (language == null || language.isBlank()) {
      return Notification.DEFAULT_LANGUAGE;
    }
    if (!LANGUAGE.matcher(language).matches()) {
      throw new IllegalArgumentException("language must be a BCP 47 tag such as en or fr-CA");
    }
    return language.toLowerCase(Locale.ROOT);
  }

  static String text(String value, String field, int maxLength) {
    Objects.requireNonNull(value, field);
    if (value.isBlank() || value.length() > maxLength) {
      throw new IllegalArgumentException(field + " must be 1 to " + maxLength + " characters");
    }
    return value;
  }

  static String url(String value, String field) {
    text(value, field, 2048);
    if (!value.startsWith("https://") && !value.startsWith("http://")) {
      throw new IllegalArgumentException(field + " must be an http(s) URL");
    }
    return value;
  }

  /** An ISO 4217 code such as EUR, in which amounts are given in minor units. */
  static String currency(String currency) {
    if (currency == null || !CURRENCY.matcher(currency).matches()) {
      throw new IllegalArgumentException("currency must be an ISO 4217 code such as EUR");
    }
    return currency;
  }

  static <T> List<T> list(List<T> values, String field) {
    return List.copyOf(Objects.requireNonNull(values, field));
  }
}
