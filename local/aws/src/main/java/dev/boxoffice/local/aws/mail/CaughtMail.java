package dev.boxoffice.local.aws.mail;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One email the mail catcher received, reduced to what a developer reads: addresses, subject, time and text. */
public record CaughtMail(String id, String from, List<String> to, String subject, Instant receivedAt, String text) {

  /** An http(s) URL in text; parentheses and sentence punctuation around it are not part of it. */
  static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"'()]*[^\\s<>\"'().,;:!?]");

  public CaughtMail {
    to = List.copyOf(to);
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
