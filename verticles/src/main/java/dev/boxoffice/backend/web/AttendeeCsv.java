package dev.boxoffice.backend.web;

import dev.boxoffice.backend.model.Attendee;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The attendee export as CSV (RFC 4180): CRLF line ends, a field quoted when it holds a quote, comma or line break,
 * quotes doubled. The file starts with a UTF-8 byte order mark, which spreadsheet apps need to read it as UTF-8. A cell
 * that starts with {@code = + - @}, a tab or a carriage return is prefixed with an apostrophe, so that a spreadsheet
 * shows a buyer's text instead of running it as a formula (OWASP's CSV injection advice).
 */
final class AttendeeCsv {

  static final String MEDIA_TYPE = "text/csv; charset=utf-8";
  static final String BYTE_ORDER_MARK = "\uFEFF";
  static final String HEADER = row(List.of("ticket_id", "order_id", "buyer_email", "ticket_type", "price", "currency",
      "status", "purchased_at", "checked_in_at"));

  private AttendeeCsv() {
  }

  static String row(Attendee attendee) {
    return row(List.of(attendee.ticketId().toString(), attendee.orderId().toString(), attendee.buyerEmail(),
        attendee.ticketTypeName(), price(attendee.unitPriceMinor(), attendee.currency()), attendee.currency(),
        attendee.status().text(), attendee.issuedAt().toString(),
        attendee.checkedInAt().map(Instant::toString).orElse("")));
  }

  private static String row(List<String> cells) {
    return cells.stream().map(AttendeeCsv::cell).collect(Collectors.joining(",", "", "\r\n"));
  }

  static String cell(String value) {
    String guarded = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    boolean quoted = guarded.indexOf('"') >= 0 || guarded.indexOf(',') >= 0 || guarded.indexOf('\n') >= 0
        || guarded.indexOf('\r') >= 0;
    return quoted ? '"' + guarded.replace("\"", "\"\"") + '"' : guarded;
  }

  private static String price(long minor, String currency) {
    return BigDecimal.valueOf(minor, Currency.getInstance(currency).getDefaultFractionDigits()).toPlainString();
  }
}
