package dev.boxoffice.lambdas.mail;

import java.util.ArrayList;
import java.util.List;

/**
 * The one look of Boxoffice's emails: a body built block by block comes out twice, as plain text and as a simple
 * HTML page (one centred column, inline styles, which is what mail clients render alike), with every text escaped.
 */
final class MailLayout {

  private static final String FONT = "font-family:Helvetica,Arial,sans-serif;color:#1f2328;";

  Body body() {
    return new Body();
  }

  /** A sequence of blocks, each written as text and as HTML. */
  static final class Body {

    private final List<String> text = new ArrayList<>();
    private final StringBuilder html = new StringBuilder();

    Body paragraph(String value) {
      text.add(value);
      html.append("<p style=\"").append(FONT).append("font-size:16px;line-height:1.5;margin:0 0 16px\">")
          .append(Html.escape(value)).append("</p>");
      return this;
    }

    Body heading(String value) {
      text.add(value);
      html.append("<h2 style=\"").append(FONT).append("font-size:22px;margin:8px 0 16px\">")
          .append(Html.escape(value)).append("</h2>");
      return this;
    }

    Body action(String label, String url) {
      text.add(label + ": " + url);
      html.append("<p style=\"margin:24px 0\"><a href=\"").append(Html.escape(url))
          .append("\" style=\"").append(FONT).append("background:#0b57d0;color:#ffffff;text-decoration:none;")
          .append("padding:12px 20px;border-radius:6px;display:inline-block;font-weight:bold\">")
          .append(Html.escape(label)).append("</a></p>");
      return this;
    }

    /** An inline image ({@code cid:} of a part of the mail) with its caption; the text part shows the caption. */
    Body image(String caption, String contentId, String alternative) {
      text.add(caption + " (" + alternative + ")");
      html.append("<figure style=\"margin:16px 0;text-align:center\"><img src=\"cid:").append(Html.escape(contentId))
          .append("\" width=\"240\" height=\"240\" alt=\"").append(Html.escape(caption + " " + alternative))
          .append("\" style=\"display:block;margin:0 auto;width:240px;height:240px\"><figcaption style=\"")
          .append(FONT).append("font-size:14px\">").append(Html.escape(caption)).append("</figcaption></figure>");
      return this;
    }

    Body footnote(String value, String linkLabel, String url) {
      text.add(value + "\n" + linkLabel + ": " + url);
      html.append("<p style=\"").append(FONT).append("font-size:12px;color:#59636e;margin:32px 0 0\">")
          .append(Html.escape(value)).append(" <a href=\"").append(Html.escape(url)).append("\" style=\"color:#59636e\">")
          .append(Html.escape(linkLabel)).append("</a></p>");
      return this;
    }

    String text(String footer) {
      return String.join("\n\n", text) + "\n\n-- \n" + footer + "\n";
    }

    String html(String title, String footer) {
      return "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
          + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>" + Html.escape(title)
          + "</title></head><body style=\"margin:0;padding:0;background:#f6f8fa\">"
          + "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td align=\"center\" "
          + "style=\"padding:24px 12px\"><table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
          + "style=\"max-width:600px;background:#ffffff;border-radius:8px\"><tr><td style=\"padding:32px\">"
          + html
          + "<p style=\"" + FONT + "font-size:12px;color:#59636e;margin:32px 0 0\">" + Html.escape(footer) + "</p>"
          + "</td></tr></table></td></tr></table></body></html>";
    }
  }
}
