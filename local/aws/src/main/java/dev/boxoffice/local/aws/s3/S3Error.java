package dev.boxoffice.local.aws.s3;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A refusal the S3 front answers itself, in S3's REST error shape: an HTTP status and an XML {@code <Error>} with
 * S3's code, message and the extra elements S3 adds for that code.
 */
final class S3Error extends RuntimeException {

  private final int status;
  private final String code;
  private final Map<String, String> details;

  S3Error(int status, String code, String message) {
    this(status, code, message, Map.of());
  }

  S3Error(int status, String code, String message, Map<String, String> details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = new LinkedHashMap<>(details);
  }

  /** Extra elements of the error document, in the order given: name, value, name, value ... */
  static Map<String, String> details(String... namesAndValues) {
    Map<String, String> details = new LinkedHashMap<>();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      details.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return details;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  static S3Error accessDenied(String message) {
    return new S3Error(403, "AccessDenied", message);
  }

  static S3Error invalidRequest(String message) {
    return new S3Error(400, "InvalidRequest", message);
  }

  static S3Error signatureDoesNotMatch() {
    return signatureDoesNotMatch(Map.of());
  }

  /** With what S3 adds to help a client find its mistake: the string it signed and the canonical request. */
  static S3Error signatureDoesNotMatch(Map<String, String> details) {
    return new S3Error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
        + "signature you provided. Check your key and signing method.", details);
  }

  static S3Error authorizationHeaderMalformed(String message) {
    return new S3Error(400, "AuthorizationHeaderMalformed", message);
  }

  static S3Error badDigest(FlexibleChecksum checksum) {
    return new S3Error(400, "BadDigest",
        "The " + checksum.name() + " you specified did not match the calculated checksum.");
  }

  static S3Error incompleteBody() {
    return new S3Error(400, "IncompleteBody",
        "You did not provide the number of bytes specified by the Content-Length HTTP header.");
  }

  static S3Error malformedTrailer() {
    return new S3Error(400, "MalformedTrailerError", "The request contained trailing data that was not "
        + "well-formed or did not conform to our published schema.");
  }

  /** The error document, {@code requestId} included, as S3 writes it. */
  String toXml(String requestId) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>")
        .append(code).append("</Code><Message>").append(escape(getMessage())).append("</Message>");
    details.forEach((name, value) -> xml.append('<').append(name).append('>').append(escape(value))
        .append("</").append(name).append('>'));
    return xml.append("<RequestId>").append(requestId).append("</RequestId></Error>").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
