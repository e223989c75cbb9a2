package dev.boxoffice.local.aws.mail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Properties;

/**
 * Sends email over real SMTP (jakarta.mail) on Vert.x worker threads, never on an event loop: plain text composed
 * here, or a MIME message exactly as it was given.
 */
public final class SmtpMailer {

  private final Vertx vertx;
  private final Session session;

  public SmtpMailer(Vertx vertx, String smtpHost, int smtpPort) {
    this.vertx = vertx;
    Properties properties = new Properties();
    properties.put("mail.smtp.host", smtpHost);
    properties.put("mail.smtp.port", String.valueOf(smtpPort));
    properties.put("mail.smtp.connectiontimeout", "5000");
    properties.put("mail.smtp.timeout", "10000");
    this.session = Session.getInstance(properties);
  }

  public Future<Void> send(String fromName, String fromAddress, String to, String subject, String text) {
    return vertx.executeBlocking(() -> {
      Transport.send(compose(fromName, fromAddress, to, subject, text));
      return null;
    }, false);
  }

  /**
   * Sends {@code message} as it is (no header rewritten, its Message-ID kept) to {@code recipients}, the SMTP
   * envelope's RCPT TO, which may differ from its headers (Bcc).
   */
  public Future<Void> sendMessage(MimeMessage message, List<String> recipients) {
    return vertx.executeBlocking(() -> {
      Address[] envelope = new Address[recipients.size()];
      for (int index = 0; index < envelope.length; index++) {
        envelope[index] = new InternetAddress(recipients.get(index), true);
      }
      try (Transport transport = session.getTransport("smtp")) {
        transport.connect();
        transport.sendMessage(message, envelope);
      }
      return null;
    }, false);
  }

  /** A session to parse or build messages with, the one the mailer sends through. */
  public Session session() {
    return session;
  }

  private MimeMessage compose(String fromName, String fromAddress, String to, String subject, String text)
      throws MessagingException, UnsupportedEncodingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(fromAddress, fromName, StandardCharsets.UTF_8.name()));
    message.setRecipients(Message.RecipientType.TO, InternetAddress.parse(to, true));
    message.setSubject(subject, StandardCharsets.UTF_8.name());
    message.setSentDate(new Date());
    message.setText(text, StandardCharsets.UTF_8.name());
    return message;
  }
}
