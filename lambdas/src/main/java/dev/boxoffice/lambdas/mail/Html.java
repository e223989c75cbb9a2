package dev.boxoffice.lambdas.mail;

/** Escaping for text that goes into the HTML of an email: organizers write event titles, buyers write nothing. */
final class Html {

  private Html() {
  }

  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int index = 0; index < text.length(); index++) {
      char character = text.charAt(index);
      switch (character) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        case '\n' -> escaped.append("<br>");
        case '\r' -> {
        }
        default -> escaped.append(character);
      }
    }
    return escaped.toString();
  }
}
