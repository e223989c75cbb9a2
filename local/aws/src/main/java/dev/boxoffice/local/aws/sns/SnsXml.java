package dev.boxoffice.local.aws.sns;

import java.util.Map;
import java.util.function.Consumer;

/** Writes the XML documents of the SNS query protocol, with every value escaped. */
final class SnsXml {

  static final String NAMESPACE = "http://sns.amazonaws.com/doc/2010-03-31/";

  private final StringBuilder xml = new StringBuilder();

  private SnsXml() {
  }

  /** {@code <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata>...} as AWS answers every action. */
  static String response(String action, String requestId, Consumer<SnsXml> result) {
    SnsXml document = new SnsXml();
    document.xml.append("<").append(action).append("Response xmlns=\"").append(NAMESPACE).append("\">");
    document.xml.append("<").append(action).append("Result>");
    result.accept(document);
    document.xml.append("</").append(action).append("Result>");
    document.open("ResponseMetadata").element("RequestId", requestId).close("ResponseMetadata");
    document.xml.append("</").append(action).append("Response>");
    return document.xml.toString();
  }

  /** A response with no result element, as DeleteTopic, Unsubscribe and SetSubscriptionAttributes answer. */
  static String emptyResponse(String action, String requestId) {
    SnsXml document = new SnsXml();
    document.xml.append("<").append(action).append("Response xmlns=\"").append(NAMESPACE).append("\">");
    document.open("ResponseMetadata").element("RequestId", requestId).close("ResponseMetadata");
    document.xml.append("</").append(action).append("Response>");
    return document.xml.toString();
  }

  static String error(SnsException error, String requestId) {
    SnsXml document = new SnsXml();
    document.xml.append("<ErrorResponse xmlns=\"").append(NAMESPACE).append("\">");
    document.open("Error")
        .element("Type", error.type())
        .element("Code", error.code())
        .element("Message", error.getMessage())
        .close("Error");
    document.element("RequestId", requestId);
    document.xml.append("</ErrorResponse>");
    return document.xml.toString();
  }

  SnsXml open(String name) {
    xml.append('<').append(name).append('>');
    return this;
  }

  SnsXml close(String name) {
    xml.append("</").append(name).append('>');
    return this;
  }

  SnsXml element(String name, String value) {
    return open(name).text(value).close(name);
  }

  /** A query-protocol map: {@code <entry><key>..</key><value>..</value></entry>} per attribute. */
  SnsXml attributes(Map<String, String> attributes) {
    open("Attributes");
    attributes.forEach((key, value) -> open("entry").element("key", key).element("value", value).close("entry"));
    return close("Attributes");
  }

  private SnsXml text(String value) {
    for (char character : value.toCharArray()) {
      switch (character) {
        case '&' -> xml.append("&amp;");
        case '<' -> xml.append("&lt;");
        case '>' -> xml.append("&gt;");
        case '"' -> xml.append("&quot;");
        case '\'' -> xml.append("&apos;");
        case '\r' -> xml.append("&#13;");
        default -> {
          if (character < 0x20 && character != '\n' && character != '\t') {
            xml.append('\uFFFD');
          } else {
            xml.append(character);
          }
        }
      }
    }
    return this;
  }
}
