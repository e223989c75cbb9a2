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
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * The local mail catcher: an embedded GreenMail SMTP server on the loopback interface that accepts mail for any
 * address and keeps it in memory. Each message is read into a {@link CaughtMail} once and remembered, so listing
 * thousands of mails stays cheap. Its methods block, so Vert.x callers run them on worker threads.
 */
public final class MailCatcher {

  private static final String LOOPBACK = "127.0.0.1";

  /** What the inbox shows of a message's headers besides From, To and Subject. */
  private static final List<String> SHOWN_HEADERS = List.of("Reply-To", "List-Unsubscribe", "List-Unsubscribe-Post");

  private final GreenMail greenMail;
  private final Map<MimeMessage, CaughtMail> read = Collections.synchronizedMap(new WeakHashMap<>());

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
      CaughtMail caught = read.computeIfAbsent(message, MailCatcher::read);
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

  /** The message as it was received, headers and all, as {@code message/rfc822} bytes. */
  public Optional<byte[]> raw(String id) {
    return mimeMessage(id).map(message -> {
      try {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        message.writeTo(bytes);
        return bytes.toByteArray();
      } catch (MessagingException | IOException e) {
        throw new IllegalStateException("unreadable message in the mail catcher", e);
      }
    });
  }

  /** The content of part {@code index} of a message (see {@link MailPart#index()}). */
  public Optional<byte[]> partContent(String id, int index) {
    return mimeMessage(id).flatMap(message -> {
      try {
        List<Part> leaves = new ArrayList<>();
        collectLeaves(message, leaves);
        if (index < 0 || index >= leaves.size()) {
          return Optional.empty();
        }
        try (InputStream content = leaves.get(index).getInputStream()) {
          return Optional.of(content.readAllBytes());
        }
      } catch (MessagingException | IOException e) {
        throw new IllegalStateException("unreadable message in the mail catcher", e);
      }
    });
  }

  private Optional<MimeMessage> mimeMessage(String id) {
    for (MimeMessage message : greenMail.getReceivedMessages()) {
      if (read.computeIfAbsent(message, MailCatcher::read).id().equals(id)) {
        return Optional.of(message);
      }
    }
    return Optional.empty();
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
      List<Part> leaves = new ArrayList<>();
      collectLeaves(message, leaves);
      String html = null;
      List<MailPart> parts = new ArrayList<>();
      for (int index = 0; index < leaves.size(); index++) {
        Part leaf = leaves.get(index);
        boolean attached = Part.ATTACHMENT.equalsIgnoreCase(leaf.getDisposition()) || leaf.getFileName() != null;
        if (html == null && leaf.isMimeType("text/html") && !attached) {
          html = String.valueOf(leaf.getContent());
        } else if (!(leaf.isMimeType("text/plain") && !attached) && !leaf.isMimeType("text/html")) {
          String contentId = leaf instanceof MimeBodyPart body ? body.getContentID() : null;
          parts.add(new MailPart(index, leaf.getContentType(), leaf.getFileName(),
              contentId == null ? null : contentId.replaceAll("^<|>$", ""),
              !Part.ATTACHMENT.equalsIgnoreCase(leaf.getDisposition()), Math.max(leaf.getSize(), 0)));
        }
      }
      Map<String, String> headers = new LinkedHashMap<>();
      for (String name : SHOWN_HEADERS) {
        String value = message.getHeader(name, ", ");
        if (value != null) {
          headers.put(name, MimeUtility.unfold(value));
        }
      }
      return new CaughtMail(
          idOf(message),
          addresses(message.getFrom()).stream().findFirst().orElse(""),
          addresses(message.getRecipients(Message.RecipientType.TO)),
          Optional.ofNullable(message.getSubject()).orElse(""),
          receivedAt,
          textOf(message).replace("\r\n", "\n"),
          html,
          parts,
          headers);
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

  /** The leaves of a message's MIME tree in document order: its text, HTML, images and attachments. */
  private static void collectLeaves(Part part, List<Part> leaves) throws MessagingException, IOException {
    if (part.isMimeType("multipart/*")) {
      Multipart multipart = (Multipart) part.getContent();
      for (int index = 0; index < multipart.getCount(); index++) {
        collectLeaves(multipart.getBodyPart(index), leaves);
      }
    } else {
      leaves.add(part);
    }
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
