package dev.boxoffice.lambdas.mail;

/**
 * Subject lines that stay within {@value #MAX_LENGTH} characters whatever goes into them: an event title's line
 * breaks, tabs and control characters become single spaces, and a title too long for the rest of the subject is
 * shortened at a character boundary with an ellipsis. (SNS refused subjects over 100 characters and any line break;
 * mail clients show about that much.)
 */
public final class Subjects {

  public static final int MAX_LENGTH = 100;

  private static final String ELLIPSIS = "…";

  private Subjects() {
  }

  /** One line of text: every run of whitespace or control characters is one space, none at either end. */
  public static String oneLine(String text) {
    return text.replaceAll("[\\s\\p{Cc}\\p{Zl}\\p{Zp}]+", " ").strip();
  }

  /**
   * The subject of {@code template}, whose {@code {0}} is replaced by as much of {@code title} (made one line) as
   * fits.
   */
  public static String fit(String template, String title) {
    String line = oneLine(title);
    int room = MAX_LENGTH - template.replace("{0}", "").codePointCount(0, template.replace("{0}", "").length());
    if (line.codePointCount(0, line.length()) > room) {
      int keep = Math.max(0, room - 1);
      line = line.substring(0, line.offsetByCodePoints(0, keep)).stripTrailing() + ELLIPSIS;
    }
    return oneLine(template.replace("{0}", line));
  }
}
