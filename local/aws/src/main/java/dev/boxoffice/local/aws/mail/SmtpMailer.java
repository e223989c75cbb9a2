package dev.boxoffice.local.aws.mail;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/** Sends plain-text email over real SMTP (jakarta.mail) on Vert.x worker threads, never on an event loop. */
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
