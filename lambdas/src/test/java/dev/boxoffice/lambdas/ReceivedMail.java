package dev.boxoffice.lambdas;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.fortuna.ical4j.data.CalendarBuilder;
import net.fortuna.ical4j.data.ParserException;
import net.fortuna.ical4j.model.Calendar;

/** A mail from the inbox read the way a mail client reads it: jakarta.mail for the MIME, ical4j for the calendar. */
final class ReceivedMail {

  private final MimeMessage message;
  private final List<Part> leaves = new ArrayList<>();

  ReceivedMail(byte[] raw) throws MessagingException, IOException {
    this.message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
    collect(message);
  }

  MimeMessage message() {
    return message;
  }

  String header(String name) throws MessagingException {
    return message.getHeader(name, ", ");
  }

  /** The inline parts by Content-ID (without angle brackets). */
  Map<String, byte[]> inlineImages() throws MessagingException, IOException {
    Map<String, byte[]> images = new LinkedHashMap<>();
    for (Part leaf : leaves) {
      if (leaf instanceof MimeBodyPart part && part.getContentID() != null) {
        images.put(part.getContentID().replaceAll("^<|>$", ""), bytes(part));
      }
    }
    return images;
  }

  String html() throws MessagingException, IOException {
    for (Part leaf : leaves) {
      if (leaf.isMimeType("text/html")) {
        return (String) leaf.getContent();
      }
    }
    throw new AssertionError("the mail has no HTML part");
  }

  String text() throws MessagingException, IOException {
    for (Part leaf : leaves) {
      if (leaf.isMimeType("text/plain") && leaf.getFileName() == null) {
        return (String) leaf.getContent();
      }
    }
    throw new AssertionError("the mail has no text part");
  }

  /** The attached calendar, parsed: ical4j refuses one that is not valid iCalendar. */
  Calendar calendar() throws MessagingException, IOException, ParserException {
    for (Part leaf : leaves) {
      if (leaf.isMimeType("text/calendar")) {
        assertAttachment(leaf);
        return new CalendarBuilder().build(new ByteArrayInputStream(bytes(leaf)));
      }
    }
    throw new AssertionError("the mail has no calendar attachment");
  }

  private static void assertAttachment(Part leaf) throws MessagingException {
    if (!Part.ATTACHMENT.equalsIgnoreCase(leaf.getDisposition()) || !"event.ics".equals(leaf.getFileName())) {
      throw new AssertionError("the calendar is not attached as event.ics");
    }
  }

  private void collect(Part part) throws MessagingException, IOException {
    if (part.isMimeType("multipart/*")) {
      Multipart multipart = (Multipart) part.getContent();
      for (int index = 0; index < multipart.getCount(); index++) {
        BodyPart child = multipart.getBodyPart(index);
        collect(child);
      }
    } else {
      leaves.add(part);
    }
  }

  private static byte[] bytes(Part part) throws MessagingException, IOException {
    try (InputStream content = part.getInputStream()) {
      return content.readAllBytes();
    }
  }
}
