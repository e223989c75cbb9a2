package dev.boxoffice.lambdas.mail;

import java.math.BigDecimal;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.Locale;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

/**
 * The texts of the emails in one language, from {@code messages_<language>.properties} beside this class with English
 * as the fallback of every key: adding a language is adding a file. Dates come out in the venue's time zone, money in
 * its currency, both the language's way.
 */
final class MailCatalogue {

  private static final String BUNDLE = "dev.boxoffice.lambdas.mail.messages";

  private final Locale locale;
  private final ResourceBundle messages;

  private MailCatalogue(Locale locale, ResourceBundle messages) {
    this.locale = locale;
    this.messages = messages;
  }

  /** The catalogue of a BCP 47 language tag such as {@code en} or {@code fr-CA}; English where a text is missing. */
  static MailCatalogue of(String language) {
    Locale locale = Locale.forLanguageTag(language);
    return new MailCatalogue(locale, ResourceBundle.getBundle(BUNDLE, locale,
        ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES)));
  }

  String text(String key, Object... arguments) {
    String pattern;
    try {
      pattern = messages.getString(key);
    } catch (MissingResourceException e) {
      throw new IllegalStateException("the mail catalogue has no text " + key, e);
    }
    return new MessageFormat(pattern, locale).format(arguments);
  }

  String dateTime(Instant instant, ZoneId zone) {
    return DateTimeFormatter.ofPattern(messages.getString("date.pattern"), locale).withZone(zone).format(instant);
  }

  String money(long minorUnits, String currencyCode) {
    Currency currency = Currency.getInstance(currencyCode);
    NumberFormat format = NumberFormat.getCurrencyInstance(locale);
    format.setCurrency(currency);
    // Exact: a BigDecimal with the currency's own number of decimals (2 for EUR, 0 for JPY, 3 for KWD), never a double.
    int digits = Math.max(0, currency.getDefaultFractionDigits());
    format.setMinimumFractionDigits(digits);
    format.setMaximumFractionDigits(digits);
    return format.format(BigDecimal.valueOf(minorUnits, digits));
  }
}
