package dev.boxoffice.local.stripe;

import java.util.Map;

/**
 * Stripe's documented test card numbers and what each does: succeed, decline with a reason, or require 3-D Secure
 * authentication first. A number that passes the Luhn check but is not a test card is declined as Stripe declines a
 * real card in test mode.
 */
final class TestCards {

  /** What paying with a card does; {@code code} and {@code declineCode} as in Stripe's card errors. */
  record Outcome(Kind kind, String code, String declineCode, String message) {
  }

  enum Kind { SUCCEEDS, DECLINED, REQUIRES_AUTHENTICATION, INVALID }

  private static final Outcome SUCCEEDS = new Outcome(Kind.SUCCEEDS, null, null, null);
  private static final Outcome AUTHENTICATE = new Outcome(Kind.REQUIRES_AUTHENTICATION, null, null, null);
  private static final Map<String, Outcome> CARDS = Map.ofEntries(
      Map.entry("4242424242424242", SUCCEEDS),
      Map.entry("4000056655665556", SUCCEEDS),
      Map.entry("5555555555554444", SUCCEEDS),
      Map.entry("2223003122003222", SUCCEEDS),
      Map.entry("378282246310005", SUCCEEDS),
      Map.entry("4000000000000002", declined("generic_decline", "Your card was declined.")),
      Map.entry("4000000000009995", declined("insufficient_funds", "Your card has insufficient funds.")),
      Map.entry("4000000000009987", declined("lost_card", "Your card was declined.")),
      Map.entry("4000000000009979", declined("stolen_card", "Your card was declined.")),
      Map.entry("4000000000000069", new Outcome(Kind.DECLINED, "expired_card", "expired_card",
          "Your card has expired.")),
      Map.entry("4000000000000127", new Outcome(Kind.DECLINED, "incorrect_cvc", "incorrect_cvc",
          "Your card's security code is incorrect.")),
      Map.entry("4000000000000119", new Outcome(Kind.DECLINED, "processing_error", "processing_error",
          "An error occurred while processing your card. Try again in a little bit.")),
      Map.entry("4000002500003155", AUTHENTICATE),
      Map.entry("4000002760003184", AUTHENTICATE),
      Map.entry("4000003800000446", AUTHENTICATE));

  /** After a failed 3-D Secure challenge. */
  static final Outcome AUTHENTICATION_FAILED = new Outcome(Kind.DECLINED, "payment_intent_authentication_failure",
      null, "We are unable to authenticate your payment method. Please choose a different payment method and try"
      + " again.");

  private TestCards() {
  }

  static Outcome of(String number) {
    String digits = number == null ? "" : number.replaceAll("[\\s-]", "");
    if (!digits.matches("\\d{13,19}") || !luhn(digits)) {
      return new Outcome(Kind.INVALID, "incorrect_number", null, "Your card number is incorrect.");
    }
    return CARDS.getOrDefault(digits, declined("test_mode_live_card", "Your card was declined. Your request was in"
        + " test mode, but used a non test (live) card. For a list of valid test cards, visit:"
        + " https://stripe.com/docs/testing."));
  }

  static String last4(String number) {
    String digits = number.replaceAll("[\\s-]", "");
    return digits.substring(digits.length() - 4);
  }

  private static Outcome declined(String declineCode, String message) {
    return new Outcome(Kind.DECLINED, "card_declined", declineCode, message);
  }

  private static boolean luhn(String digits) {
    int sum = 0;
    boolean doubled = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int digit = digits.charAt(i) - '0';
      if (doubled) {
        digit *= 2;
        if (digit > 9) {
          digit -= 9;
        }
      }
      sum += digit;
      doubled = !doubled;
    }
    return sum % 10 == 0;
  }
}
