package dev.boxoffice.local.aws.mail;

/**
 * A part of a caught mail that is neither its text nor its HTML body: an inline image (referred to by
 * {@link #contentId()} from the HTML as {@code cid:}) or an attachment. {@link #index()} addresses it in the inbox.
 */
public record MailPart(int index, String contentType, String filename, String contentId, boolean inline, int size) {

  /** The content type without parameters, lower-case: {@code image/png}, {@code text/calendar}. */
  public String mediaType() {
    return contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
  }
}
