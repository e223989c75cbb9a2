package dev.boxoffice.local.stack;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** The images and the calendar of a ticket email, read with jakarta.mail as a mail client reads them. */
record MailParts(List<byte[]> images, byte[] calendar) {

  static MailParts of(Part message) throws MessagingException, IOException {
    List<byte[]> images = new ArrayList<>();
    List<byte[]> calendars = new ArrayList<>();
    collect(message, images, calendars);
    if (calendars.size() != 1) {
      throw new AssertionError("expected one calendar attachment, found " + calendars.size());
    }
    return new MailParts(images, calendars.getFirst());
  }

  private static void collect(Part part, List<byte[]> images, List<byte[]> calendars)
      throws MessagingException, IOException {
    if (part.isMimeType("multipart/*")) {
      Multipart multipart = (Multipart) part.getContent();
      for (int index = 0; index < multipart.getCount(); index++) {
        BodyPart child = multipart.getBodyPart(index);
        collect(child, images, calendars);
      }
    } else if (part.isMimeType("image/png")) {
      images.add(bytes(part));
    } else if (part.isMimeType("text/calendar") && Part.ATTACHMENT.equalsIgnoreCase(part.getDisposition())) {
      calendars.add(bytes(part));
    }
  }

  private static byte[] bytes(Part part) throws MessagingException, IOException {
    try (InputStream content = part.getInputStream()) {
      return content.readAllBytes();
    }
  }
}
