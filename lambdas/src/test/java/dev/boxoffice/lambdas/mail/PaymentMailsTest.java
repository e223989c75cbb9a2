package dev.boxoffice.lambdas.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.boxoffice.codecs.notifications.EventDetails;
import dev.boxoffice.codecs.notifications.HoldExpired;
import dev.boxoffice.codecs.notifications.PaymentDeclined;
import dev.boxoffice.codecs.notifications.PaymentRefunded;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The emails of the payments: what they say, in the buyer's currency, with the organizer's text kept harmless. */
class PaymentMailsTest {

  private static final Instant STARTS = Instant.parse("2026-12-04T19:30:00Z");
  private static final UUID EVENT = UUID.fromString("00000000-0000-4000-8000-000000000001");
  private static final UUID HOLD = UUID.fromString("00000000-0000-4000-8000-000000000002");
  private static final String HOSTILE_TITLE = "<script>alert(1)</script> & \"friends\"\nlive " + "x".repeat(150);
  private static final EventDetails EVENT_DETAILS = new EventDetails(EVENT, HOSTILE_TITLE, "Le Périscope", "Lyon",
      STARTS, STARTS.plusSeconds(7200), "Europe/Paris");

  private final MailRenderer renderer = new MailRenderer(ticket -> new byte[0], "https://tickets.example.com/",
      Clock.fixed(STARTS.minusSeconds(86_400), ZoneOffset.UTC));

  @Test
  @DisplayName("a refund says its amount in the currency's own minor units: cents for EUR, none for JPY, mils for KWD")
  void refundAmounts() {
    assertThat(refund(5050, "EUR").text()).contains("We refunded €50.50 to your card");
    assertThat(refund(5000, "JPY").text()).contains("We refunded ¥5,000 to your card");
    assertThat(refund(1234, "KWD").text()).contains("KWD1.234");
    assertThat(refund(5050, "EUR").subject()).startsWith("Refund of €50.50: ");
  }

  @Test
  @DisplayName("a refund says why and what happens next, and links My tickets")
  void refundExplains() {
    RenderedMail mail = refund(2500, "EUR");
    assertThat(mail.text()).contains("The organizer cancelled your order (2 tickets)")
        .contains("within 5 to 10 business days")
        .contains("https://tickets.example.com/my/tickets");
  }

  @Test
  @DisplayName("an expired hold says the tickets went back on sale, nothing was charged, and links the event")
  void holdExpired() {
    RenderedMail mail = renderer.render(new HoldExpired(HoldExpired.idOf(HOLD), "buyer@example.org", null, HOLD,
        EVENT_DETAILS, 2));
    assertThat(mail.text()).contains("The 2 tickets we held for you").contains("went back on sale")
        .contains("Nothing was charged").contains("https://tickets.example.com/events/" + EVENT);
    assertThat(mail.subject()).startsWith("Your hold ran out: ");
  }

  @Test
  @DisplayName("a declined payment gives the bank's reason, until when the tickets stay held and the hold's page")
  void declined() {
    RenderedMail mail = renderer.render(new PaymentDeclined(PaymentDeclined.idOf(UUID.randomUUID()),
        "buyer@example.org", null, HOLD, EVENT_DETAILS, "Your card has <b>insufficient funds</b>.",
        STARTS.minusSeconds(3600)));
    assertThat(mail.text()).contains("Your bank or card issuer said: Your card has <b>insufficient funds</b>.")
        .contains("still held for you until Friday 4 December 2026, 19:30")
        .contains("https://tickets.example.com/holds/" + HOLD);
    assertThat(mail.html()).contains("&lt;b&gt;insufficient funds&lt;/b&gt;").doesNotContain("<b>insufficient");
  }

  @Test
  @DisplayName("every payment email keeps the title's markup escaped and its subject on one line of at most 100")
  void escapedAndShort() {
    for (RenderedMail mail : new RenderedMail[] {
        refund(100, "EUR"),
        renderer.render(new HoldExpired(HoldExpired.idOf(HOLD), "buyer@example.org", null, HOLD, EVENT_DETAILS, 1)),
        renderer.render(new PaymentDeclined(PaymentDeclined.idOf(HOLD), "buyer@example.org", null, HOLD,
            EVENT_DETAILS, "Declined.", STARTS))}) {
      assertThat(mail.subject()).hasSizeLessThanOrEqualTo(Subjects.MAX_LENGTH).doesNotContain("\n").endsWith("…");
      assertThat(mail.html()).doesNotContain("<script>").contains("&lt;script&gt;");
    }
  }

  private RenderedMail refund(long amountMinor, String currency) {
    return renderer.render(new PaymentRefunded(PaymentRefunded.idOf(UUID.randomUUID()), "buyer@example.org", null,
        UUID.randomUUID(), HOLD, EVENT_DETAILS, 2, amountMinor, currency, "order_cancelled"));
  }
}
