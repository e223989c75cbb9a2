package dev.boxoffice.local.aws.ses;

import dev.boxoffice.local.aws.mail.SmtpMailer;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * SendEmail: a Simple message composed here or a Raw one taken as it is, checked as SES checks it (a verified sender,
 * an existing configuration set, at most 50 recipients, at most 40 MB, the sending quota), given SES's Message-ID and
 * handed to the mail catcher; the mailbox simulator's addresses get the events AWS's simulator produces instead of a
 * delivery. Blocking: the verticle calls it on a worker thread.
 */
final class OutboundEmails {

  static final int MAX_RECIPIENTS = 50;
  static final int MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
  static final String SIMULATOR_DOMAIN = "simulator.amazonses.com";

  private final SesAccount account;
  private final SmtpMailer mailer;
  private final SesEvents events;

  OutboundEmails(SesAccount account, SmtpMailer mailer, SesEvents events) {
    this.account = account;
    this.mailer = mailer;
    this.events = events;
  }

  /** Whether the caller may send as an identity, with a configuration set or none; throws SES's refusal if not. */
  @FunctionalInterface
  interface SendPermission {
    void check(String identity, Optional<String> configurationSet);
  }

  /**
   * Accepts the message (answering its MessageId) or throws the SesException SES would answer; {@code permission} is
   * asked once the identity the mail is sent as is known, before anything counts against the quota.
   */
  String send(JsonObject request, SendPermission permission) {
    try {
      return accept(request, permission);
    } catch (MessagingException e) {
      throw SesException.badRequest("The message or an address in it is malformed: " + e.getMessage());
    }
  }

  private String accept(JsonObject request, SendPermission permission) throws MessagingException {
    Optional<String> configurationSet = Optional.ofNullable(request.getString("ConfigurationSetName"));
    List<SesAccount.EventDestination> destinations = configurationSet
        .map(name -> account.configurationSet(name).orElseThrow(() -> SesAccount.missingConfigurationSet(name)))
        .orElse(List.of());
    JsonObject content = request.getJsonObject("Content");
    if (content == null) {
      throw SesException.badRequest("Content is required");
    }
    MimeMessage message;
    if (content.containsKey("Raw")) {
      message = raw(content.getJsonObject("Raw"));
    } else if (content.containsKey("Simple")) {
      message = simple(request, content.getJsonObject("Simple"));
    } else {
      throw SesException.badRequest("The local SES sends Simple and Raw content, not templates");
    }
    Address[] fromHeader = message.getFrom();
    String source = Optional.ofNullable(request.getString("FromEmailAddress"))
        .or(() -> firstAddress(fromHeader))
        .orElseThrow(() -> SesException.badRequest("Missing the sender: FromEmailAddress or a From header"));
    String sourceAddress = new InternetAddress(source).getAddress();
    String identity = account.identityOf(sourceAddress).orElseThrow(() -> SesException.messageRejected(
        "Email address is not verified. The following identities failed the check in region US-EAST-1: "
            + sourceAddress));
    permission.check(identity, configurationSet);
    List<String> recipients = recipients(request.getJsonObject("Destination"), message);
    if (recipients.isEmpty()) {
      throw SesException.badRequest("The message has no recipient: give a Destination or To/Cc/Bcc headers");
    }
    if (recipients.size() > MAX_RECIPIENTS) {
      throw SesException.messageRejected("Recipient count exceeds " + MAX_RECIPIENTS + ".");
    }
    account.quota().take(recipients.size());

    String messageId = newMessageId();
    message.setHeader("Message-ID", "<" + messageId + "@email.amazonses.com>");
    message.removeHeader("Bcc");
    SesEvents.SentMail sent = new SesEvents.SentMail(messageId, Instant.now(), sourceAddress, recipients,
        message.getSubject(), configurationSet.orElse(""), tags(request.getJsonArray("EmailTags")));
    deliver(message, sent, destinations);
    return messageId;
  }

  private void deliver(MimeMessage message, SesEvents.SentMail sent, List<SesAccount.EventDestination> destinations) {
    List<String> mailboxes = sent.destination().stream().filter(recipient -> !simulated(recipient)).toList();
    List<JsonObject> published = new ArrayList<>();
    published.add(SesEvents.send(sent));
    for (String recipient : sent.destination()) {
      if (simulated(recipient)) {
        switch (simulatorBox(recipient)) {
          case "bounce", "suppressionlist" -> published.add(SesEvents.bounce(sent, recipient));
          case "complaint" -> {
            published.add(SesEvents.delivery(sent, List.of(recipient)));
            published.add(SesEvents.complaint(sent, recipient));
          }
          default -> published.add(SesEvents.delivery(sent, List.of(recipient)));
        }
      }
    }
    Future<Void> delivered = mailboxes.isEmpty() ? Future.succeededFuture() : mailer.sendMessage(message, mailboxes)
        .onSuccess(done -> published.add(SesEvents.delivery(sent, mailboxes)));
    delivered.onComplete(done -> {
      for (JsonObject event : published) {
        destinations.stream().filter(destination -> destination.wants(event.getString("eventType")))
            .forEach(destination -> events.publish(sent.configurationSet(), destination, event));
      }
    });
  }

  private MimeMessage raw(JsonObject raw) throws MessagingException {
    String data = raw == null ? null : raw.getString("Data");
    if (data == null) {
      throw SesException.badRequest("Content.Raw.Data is required");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      throw SesException.badRequest("Content.Raw.Data is not base64");
    }
    if (bytes.length > MAX_MESSAGE_BYTES) {
      throw SesException.messageRejected("Message length is more than 40 MB");
    }
    return new MimeMessage(mailer.session(), new ByteArrayInputStream(bytes));
  }

  private MimeMessage simple(JsonObject request, JsonObject simple) throws MessagingException {
    String from = request.getString("FromEmailAddress");
    if (from == null) {
      throw SesException.badRequest("FromEmailAddress is required for Simple content");
    }
    MimeMessage message = new MimeMessage(mailer.session());
    message.setFrom(new InternetAddress(from, true));
    JsonObject destination = Optional.ofNullable(request.getJsonObject("Destination")).orElse(new JsonObject());
    message.setRecipients(Message.RecipientType.TO, addresses(destination.getJsonArray("ToAddresses")));
    message.setRecipients(Message.RecipientType.CC, addresses(destination.getJsonArray("CcAddresses")));
    message.setReplyTo(addresses(request.getJsonArray("ReplyToAddresses")));
    message.setSubject(textOf(simple.getJsonObject("Subject"), "Subject"), StandardCharsets.UTF_8.name());
    JsonObject body = Optional.ofNullable(simple.getJsonObject("Body")).orElse(new JsonObject());
    MimeMultipart alternative = new MimeMultipart("alternative");
    if (body.containsKey("Text")) {
      MimeBodyPart text = new MimeBodyPart();
      text.setText(textOf(body.getJsonObject("Text"), "Body.Text"), StandardCharsets.UTF_8.name());
      alternative.addBodyPart(text);
    }
    if (body.containsKey("Html")) {
      MimeBodyPart html = new MimeBodyPart();
      html.setText(textOf(body.getJsonObject("Html"), "Body.Html"), StandardCharsets.UTF_8.name(), "html");
      alternative.addBodyPart(html);
    }
    if (alternative.getCount() == 0) {
      throw SesException.badRequest("Content.Simple.Body needs Text or Html");
    }
    message.setContent(alternative);
    for (Object header : Optional.ofNullable(simple.getJsonArray("Headers")).orElse(new JsonArray())) {
      JsonObject named = (JsonObject) header;
      message.addHeader(named.getString("Name"), named.getString("Value"));
    }
    message.saveChanges();
    return message;
  }

  private static String textOf(JsonObject content, String field) {
    if (content == null || content.getString("Data") == null) {
      throw SesException.badRequest("Content.Simple." + field + ".Data is required");
    }
    return content.getString("Data");
  }

  private static InternetAddress[] addresses(JsonArray values) throws MessagingException {
    List<InternetAddress> addresses = new ArrayList<>();
    for (Object value : Optional.ofNullable(values).orElse(new JsonArray())) {
      addresses.add(new InternetAddress(String.valueOf(value), true));
    }
    return addresses.toArray(InternetAddress[]::new);
  }

  /** The Destination's addresses, or for a raw message without one, its To, Cc and Bcc headers, as SES takes them. */
  private static List<String> recipients(JsonObject destination, MimeMessage message) throws MessagingException {
    Set<String> recipients = new LinkedHashSet<>();
    if (destination != null) {
      for (String field : List.of("ToAddresses", "CcAddresses", "BccAddresses")) {
        for (InternetAddress address : addresses(destination.getJsonArray(field))) {
          recipients.add(address.getAddress());
        }
      }
      return List.copyOf(recipients);
    }
    Address[] headers = message.getAllRecipients();
    for (Address address : headers == null ? new Address[0] : headers) {
      recipients.add(((InternetAddress) address).getAddress());
    }
    return List.copyOf(recipients);
  }

  private static Optional<String> firstAddress(Address[] addresses) {
    return addresses == null || addresses.length == 0
        ? Optional.empty()
        : Optional.of(((InternetAddress) addresses[0]).getAddress());
  }

  private static JsonObject tags(JsonArray emailTags) {
    JsonObject tags = new JsonObject();
    for (Object tag : Optional.ofNullable(emailTags).orElse(new JsonArray())) {
      JsonObject named = (JsonObject) tag;
      tags.put(named.getString("Name"), new JsonArray().add(named.getString("Value")));
    }
    return tags;
  }

  static boolean simulated(String recipient) {
    return recipient.toLowerCase(Locale.ROOT).endsWith("@" + SIMULATOR_DOMAIN);
  }

  /** The simulator mailbox of an address such as {@code bounce+label@simulator.amazonses.com}: {@code bounce}. */
  private static String simulatorBox(String recipient) {
    String local = recipient.substring(0, recipient.indexOf('@')).toLowerCase(Locale.ROOT);
    int plus = local.indexOf('+');
    return plus < 0 ? local : local.substring(0, plus);
  }

  /** A message id in SES's shape: {@code 0100} then the time and random hex, then {@code -000000}. */
  private static String newMessageId() {
    String uuid = UUID.randomUUID().toString();
    return "0100" + HexFormat.of().toHexDigits(System.currentTimeMillis()).substring(4) + "-" + uuid + "-000000";
  }
}
