package dev.boxoffice.local.stripe;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Amounts as Stripe takes them: integers in the currency's smallest unit. Zero-decimal currencies (JPY, KRW...) have
 * no smaller unit, three-decimal ones (BHD, KWD...) have thousandths whose last digit Stripe requires to be 0; every
 * charge must reach Stripe's minimum (50 cents in most currencies).
 */
final class Money {

  static final Set<String> ZERO_DECIMAL = Set.of("bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg",
      "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf");
  static final Set<String> THREE_DECIMAL = Set.of("bhd", "jod", "kwd", "omr", "tnd");
  private static final Set<String> SUPPORTED = Set.of("usd", "eur", "gbp", "chf", "cad", "aud", "nzd", "sek", "nok",
      "dkk", "pln", "czk", "huf", "ron", "bgn", "isk", "sgd", "hkd", "mxn", "brl", "inr", "zar", "ils", "aed", "try",
      "thb", "myr", "php", "idr", "twd", "bhd", "jod", "kwd", "omr", "tnd", "jpy", "krw", "clp", "vnd", "xaf", "xof",
      "xpf", "pyg", "ugx", "rwf", "bif", "djf", "gnf", "kmf", "mga", "vuv");
  /** Stripe's minimum charge in a currency's smallest unit, where it differs from 50. */
  private static final Map<String, Long> MINIMUM = Map.of("gbp", 30L, "jpy", 50L, "hkd", 400L, "mxn", 1000L,
      "czk", 1500L, "huf", 17500L, "sek", 300L, "nok", 300L, "dkk", 250L, "bhd", 500L);

  private Money() {
  }

  static String currency(String raw, String param) {
    if (raw == null) {
      throw StripeError.missing(param);
    }
    String currency = raw.toLowerCase(Locale.ROOT);
    if (!SUPPORTED.contains(currency)) {
      throw StripeError.invalid(param, "Invalid currency: " + currency + ". Stripe currently supports these"
          + " currencies: " + String.join(", ", SUPPORTED.stream().sorted().toList()));
    }
    return currency;
  }

  static int decimals(String currency) {
    return ZERO_DECIMAL.contains(currency) ? 0 : THREE_DECIMAL.contains(currency) ? 3 : 2;
  }

  static long minimum(String currency) {
    return MINIMUM.getOrDefault(currency, 50L);
  }

  /** An amount for a person: {@code EUR 25.00}, {@code JPY 500}. */
  static String display(long amount, String currency) {
    return currency.toUpperCase(Locale.ROOT) + " " + BigDecimal.valueOf(amount, decimals(currency)).toPlainString();
  }

  static long integer(String raw, String param) {
    if (raw == null) {
      throw StripeError.missing(param);
    }
    try {
      return Long.parseLong(raw);
    } catch (NumberFormatException e) {
      throw StripeError.invalid(param, "Invalid integer: " + raw);
    }
  }
}
