package dev.boxoffice.local.aws.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local mail catcher: an embedded GreenMail SMTP server on the loopback interface that accepts mail for any
 * address and keeps it in memory. Its methods block, so Vert.x callers run them on worker threads.
 */
public final class MailCatcher {

  private static final String LOOPBACK = "127.0.0.1";

  private final GreenMail greenMail;

  private MailCatcher(GreenMail greenMail) {
    this.greenMail = greenMail;
  }

  /** Starts SMTP on 127.0.0.1 and the given port (0 picks a free one); blocks until it accepts connections. */
  public static MailCatcher start(int smtpPort) {
    GreenMail greenMail = new GreenMail(new ServerSetup(smtpPort, LOOPBACK, ServerSetup.PROTOCOL_SMTP));
    greenMail.start();
    return new MailCatcher(greenMail);
  }

  public String host() {
    return LOOPBACK;
  }

  public int smtpPort() {
    return greenMail.getSmtp().getPort();
  }

  /** Every caught message, newest first. */
  public List<CaughtMail> messages() {
    Map<String, CaughtMail> byId = new LinkedHashMap<>();
    for (MimeMessage message : greenMail.getReceivedMessages()) {
      CaughtMail caught = read(message);
      byId.putIfAbsent(caught.id(), caught);
    }
    return byId.values().stream()
        .sorted(Comparator.comparing(CaughtMail::receivedAt).reversed())
        .toList();
  }

  public List<CaughtMail> messagesTo(String address) {
    return messages().stream().filter(mail -> mail.isAddressedTo(address)).toList();
  }

  public Optional<CaughtMail> message(String id) {
    return messages().stream().filter(mail -> mail.id().equals(id)).findFirst();
  }

  public void stop() {
    greenMail.stop();
  }

  private static CaughtMail read(MimeMessage message) {
    try {
      Instant receivedAt = Optional.ofNullable(message.getReceivedDate())
          .or(() -> Optional.ofNullable(sentDate(message)))
          .map(java.util.Date::toInstant)
          .orElse(Instant.EPOCH);
      return new CaughtMail(
          idOf(message),
          addresses(message.getFrom()).stream().findFirst().orElse(""),
          addresses(message.getRecipients(Message.RecipientType.TO)),
          Optional.ofNullable(message.getSubject()).orElse(""),
          receivedAt,
          textOf(message).replace("\r\n", "\n"));
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException("unreadable message in the mail catcher", e);
    }
  }

  private static java.util.Date sentDate(MimeMessage message) {
    try {
      return message.getSentDate();
    } catch (MessagingException e) {
      return null;
    }
  }

  /** A short id that stays the same for a message however often the catcher is read, derived from Message-ID. */
  private static String idOf(MimeMessage message) throws MessagingException {
    String messageId = Optional.ofNullable(message.getMessageID())
        .orElse(message.getSubject() + "|" + Arrays.toString(message.getAllRecipients()) + "|" + sentDate(message));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(messageId.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static List<String> addresses(Address[] addresses) {
    if (addresses == null) {
      return List.of();
    }
    return Arrays.stream(addresses)
        .map(address -> address instanceof InternetAddress internet ? internet.getAddress() : address.toString())
        .toList();
  }

  /** Keeps what a reader needs from HTML: line breaks at blocks, and each link's target next to its text. */
  private static String htmlAsText(String html) {
    return html
        .replaceAll("(?is)<a\\s[^>]*href\\s*=\\s*[\"']([^\"']+)[\"'][^>]*>(.*?)</a>", "$2 ($1)")
        .replaceAll("(?i)<br\\s*/?>|</(p|div|h[1-6]|li|tr)>", "\n")
        .replaceAll("(?s)<[^>]*>", "")
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .strip();
  }

  /** Prefers the text/plain part; an HTML-only message is shown with its tags removed. */
  private static String textOf(Part part) throws MessagingException, IOException {
    if (part.isMimeType("text/plain")) {
      return String.valueOf(part.getContent());
    }
    if (part.isMimeType("text/html")) {
      return htmlAsText(String.valueOf(part.getContent()));
    }
    if (part.isMimeType("multipart/*")) {
      Multipart multipart = (Multipart) part.getContent();
      String html = null;
      for (int index = 0; index < multipart.getCount(); index++) {
        BodyPart body = multipart.getBodyPart(index);
        if (body.isMimeType("text/plain") || body.isMimeType("multipart/*")) {
          String text = textOf(body);
          if (!text.isEmpty()) {
            return text;
          }
        } else if (body.isMimeType("text/html") && html == null) {
          html = textOf(body);
        }
      }
      return html == null ? "" : html;
    }
    return "";
  }
}
