package dev.boxoffice.lambdas.mail;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An email ready to be composed into MIME: its subject, its text and HTML bodies (the same content), the images its
 * HTML shows by {@code cid:}, its attachments, and for bulk mail the one-click unsubscribe URL that goes into
 * {@code List-Unsubscribe}.
 */
public record RenderedMail(String subject, String text, String html, List<Part> inlineImages, List<Part> attachments,
                           Optional<String> oneClickUnsubscribeUrl) {

  /** An image or a file: its content, its type, its name and (for images) the id the HTML refers to. */
  public record Part(String contentId, String filename, String contentType, byte[] content) {

    public Part {
      Objects.requireNonNull(filename, "filename");
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(content, "content");
    }
  }

  public RenderedMail {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(html, "html");
    inlineImages = List.copyOf(inlineImages);
    attachments = List.copyOf(attachments);
  }
}
