package dev.boxoffice.lambdas.mail;

import jakarta.activation.DataHandler;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.ByteArrayDataSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Optional;
import java.util.Properties;

/**
 * Composes a rendered mail into the raw MIME message SES sends as it is: {@code multipart/alternative} (text, HTML)
 * inside {@code multipart/related} with the inline images, inside {@code multipart/mixed} with the attachments, each
 * level only when needed; the sender's name and address and the reply-to address from configuration; for bulk mail
 * {@code List-Unsubscribe} and {@code List-Unsubscribe-Post: List-Unsubscribe=One-Click} (RFC 8058).
 */
public final class MimeComposer {

  private final Session session = Session.getInstance(new Properties());
  private final InternetAddress from;
  private final Optional<InternetAddress> replyTo;
  private final Clock clock;

  public MimeComposer(String fromName, String fromAddress, Optional<String> replyTo, Clock clock) {
    try {
      this.from = new InternetAddress(fromAddress, fromName, StandardCharsets.UTF_8.name());
      this.from.validate();
      this.replyTo = replyTo.isPresent()
          ? Optional.of(new InternetAddress(replyTo.get(), true))
          : Optional.empty();
    } catch (UnsupportedEncodingException | MessagingException e) {
      throw new IllegalStateException("the configured sender or reply-to address is not an address: " + e, e);
    }
    this.clock = clock;
  }

  /** The sender's address alone, as SES checks it against its verified identities. */
  public String fromAddress() {
    return from.getAddress();
  }

  public byte[] compose(RenderedMail mail, String to) {
    try {
      MimeMessage message = new MimeMessage(session);
      message.setFrom(from);
      message.setRecipients(Message.RecipientType.TO, new InternetAddress[] {new InternetAddress(to, true)});
      if (replyTo.isPresent()) {
        message.setReplyTo(new InternetAddress[] {replyTo.get()});
      }
      message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
      message.setSentDate(Date.from(clock.instant()));
      if (mail.oneClickUnsubscribeUrl().isPresent()) {
        message.setHeader("List-Unsubscribe", "<" + mail.oneClickUnsubscribeUrl().get() + ">");
        message.setHeader("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
      }
      message.setContent(body(mail));
      message.saveChanges();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      message.writeTo(bytes);
      return bytes.toByteArray();
    } catch (MessagingException | IOException e) {
      throw new IllegalStateException("the mail could not be composed", e);
    }
  }

  private static MimeMultipart body(RenderedMail mail) throws MessagingException {
    MimeBodyPart text = new MimeBodyPart();
    text.setText(mail.text(), StandardCharsets.UTF_8.name());
    MimeBodyPart html = new MimeBodyPart();
    html.setText(mail.html(), StandardCharsets.UTF_8.name(), "html");
    MimeMultipart content = new MimeMultipart("alternative", text, html);
    if (!mail.inlineImages().isEmpty()) {
      MimeMultipart related = new MimeMultipart("related");
      related.addBodyPart(wrap(content));
      for (RenderedMail.Part image : mail.inlineImages()) {
        MimeBodyPart part = part(image);
        part.setContentID("<" + image.contentId() + ">");
        part.setDisposition(MimeBodyPart.INLINE);
        related.addBodyPart(part);
      }
      content = related;
    }
    if (!mail.attachments().isEmpty()) {
      MimeMultipart mixed = new MimeMultipart("mixed");
      mixed.addBodyPart(wrap(content));
      for (RenderedMail.Part attachment : mail.attachments()) {
        MimeBodyPart part = part(attachment);
        part.setDisposition(MimeBodyPart.ATTACHMENT);
        mixed.addBodyPart(part);
      }
      content = mixed;
    }
    return content;
  }

  private static MimeBodyPart part(RenderedMail.Part content) throws MessagingException {
    MimeBodyPart part = new MimeBodyPart();
    part.setDataHandler(new DataHandler(new ByteArrayDataSource(content.content(), content.contentType())));
    part.setFileName(content.filename());
    return part;
  }

  private static MimeBodyPart wrap(MimeMultipart multipart) throws MessagingException {
    MimeBodyPart part = new MimeBodyPart();
    part.setContent(multipart);
    return part;
  }
}
