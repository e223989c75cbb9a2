package dev.boxoffice.local.aws.mail;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One email the mail catcher received, read once: addresses, subject, time, its text (the text part, or the HTML's
 * text), its HTML body if it has one, its other parts (inline images, attachments) and the headers a reader of
 * Boxoffice's mail looks at ({@code Reply-To}, {@code List-Unsubscribe}, {@code List-Unsubscribe-Post}).
 */
public record CaughtMail(String id, String from, List<String> to, String subject, Instant receivedAt, String text,
                         String html, List<MailPart> parts, Map<String, String> headers) {

  /** An http(s) URL in text; parentheses and sentence punctuation around it are not part of it. */
  static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"'()]*[^\\s<>\"'().,;:!?]");

  public CaughtMail {
    to = List.copyOf(to);
    parts = List.copyOf(parts);
    headers = Map.copyOf(headers);
  }

  /** The http(s) links in the text, in order, such as an SNS SubscribeURL. */
  public List<String> links() {
    Matcher matcher = LINK.matcher(text);
    return matcher.results().map(found -> found.group()).toList();
  }

  public boolean isAddressedTo(String address) {
    return to.stream().anyMatch(recipient -> recipient.equalsIgnoreCase(address.trim()));
  }
}
