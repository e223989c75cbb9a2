package dev.boxoffice.local.aws.mail;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A mail's HTML made ready for the inbox's sandboxed frame: inline images resolved, links opening a new tab. */
final class MailHtml {

  private static final Pattern CID = Pattern.compile("(?i)cid:([^\"'\\s)>]+)");
  private static final Pattern HEAD = Pattern.compile("(?i)<head[^>]*>");

  private MailHtml() {
  }

  /**
   * The HTML with each {@code cid:} reference replaced by the URL of the part of that Content-ID (an unknown one is
   * left as it is, as a mail client leaves it broken), and a {@code <base target="_blank">}.
   */
  static String forViewing(CaughtMail mail) {
    Matcher reference = CID.matcher(mail.html());
    StringBuilder html = new StringBuilder();
    while (reference.find()) {
      String contentId = reference.group(1);
      String replacement = mail.parts().stream().filter(part -> contentId.equals(part.contentId())).findFirst()
          .map(part -> "/messages/" + mail.id() + "/parts/" + part.index())
          .orElse(reference.group());
      reference.appendReplacement(html, Matcher.quoteReplacement(replacement));
    }
    reference.appendTail(html);
    String base = "<base target=\"_blank\">";
    Matcher head = HEAD.matcher(html);
    return head.find()
        ? html.insert(head.end(), base).toString()
        : base + html;
  }
}
